// Up to five links on your creator page, each a label and a web address.
import type { Profile } from '../../../shared/api/styles';
import { type FieldProblems, MAX_LINKS } from './profile-form';
import { FieldProblem } from './FieldProblem';

type Link = Profile['links'][number];

export function LinksEditor({ links, problems, onChange }: { links: Link[]; problems: FieldProblems; onChange(links: Link[]): void }) {
  const set = (i: number, next: Partial<Link>) => onChange(links.map((l, at) => (at === i ? { ...l, ...next } : l)));
  const invalid = (path: string) => (problems[path] ? { 'aria-invalid': true, 'aria-describedby': `${path.replaceAll('.', '-')}-problem` } : {});
  return (
    <fieldset class="links-editor">
      <legend>Links</legend>
      {links.length === 0 && <p class="muted small">No links yet: your portfolio, shop or social pages.</p>}
      {links.map((link, i) => (
        <div class="link-row" key={i}>
          <input aria-label={`Label of link ${i + 1}`} placeholder="Portfolio" value={link.label} maxLength={40} onInput={(e) => set(i, { label: e.currentTarget.value })} {...invalid(`links.${i}.label`)} />
          <input
            aria-label={`Address of link ${i + 1}`}
            type="url"
            placeholder="https://"
            value={link.url}
            maxLength={300}
            onInput={(e) => set(i, { url: e.currentTarget.value })}
            {...invalid(`links.${i}.url`)}
          />
          <button type="button" class="secondary" onClick={() => onChange(links.filter((_, at) => at !== i))}>
            Remove link {i + 1}
          </button>
          <FieldProblem id={`links-${i}-label-problem`} problem={problems[`links.${i}.label`]} />
          <FieldProblem id={`links-${i}-url-problem`} problem={problems[`links.${i}.url`]} />
        </div>
      ))}
      <div class="row">
        <button type="button" class="secondary" disabled={links.length >= MAX_LINKS} onClick={() => onChange([...links, { label: '', url: '' }])}>
          Add a link
        </button>
        {links.length >= MAX_LINKS && <span class="muted small">Five links at most.</span>}
      </div>
    </fieldset>
  );
}
