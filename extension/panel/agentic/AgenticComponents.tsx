// Agentic: each reference's measured components, a weight per component, the live blend, and
// recipes. (Issue 13, part E fills this in.)
import type { Capture } from '../../lib/captures';
import type { PublicModel } from '../../../shared/catalog/types';
import type { FormState } from '../generate/settings';

export interface AgenticComponentsProps {
  model: PublicModel;
  form: FormState;
  setForm(change: (form: FormState) => FormState): void;
  /** The references that go with this generation, in order (uploaded, not turned off, within the limit). */
  references: Capture[];
}

export function AgenticComponents(_props: AgenticComponentsProps) {
  return null;
}
