// The editing tools: Instruct, Replace, Recreate and Erase on an image the designer owns or
// may use, with the mask brush. (Issue 13, part C fills this in.)
import type { Generation } from '../../../shared/api/generation';
import type { PublicModel } from '../../../shared/catalog/types';

/** The image being edited, as far as the panel knows it. */
export interface EditSource {
  image_id: string;
  width: number;
  height: number;
  /** Where to show it from: an authed preview path, or a data: URL made at capture. */
  preview_url: string;
  /** What it is, in words ("Result", "Capture from example.com", "Upload"). */
  label: string;
}

export interface EditToolsProps {
  models: PublicModel[];
  /** The model chosen in the form: its own edits when it declares them, else the catalog's edit model. */
  model: PublicModel | undefined;
  /** The image to edit; absent, the tools first ask which (a result, a reference, an upload). */
  source?: EditSource;
  available: number | null;
  onStarted(generation: Generation): void;
  onClose?(): void;
}

export function EditTools(_props: EditToolsProps) {
  return null;
}
