// A field's problem, said next to it; the field names it in aria-describedby so a screen reader hears it too.
export function FieldProblem({ id, problem }: { id: string; problem?: string }) {
  return problem ? (
    <p class="error small" id={id}>
      {problem}
    </p>
  ) : null;
}
