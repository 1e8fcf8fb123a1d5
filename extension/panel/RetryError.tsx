// A read that failed, said in words, with the one way out: read it again.
export function RetryError({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <p class="error" role="alert">
      {message}{' '}
      <button type="button" class="link" onClick={onRetry}>
        Try again
      </button>
    </p>
  );
}
