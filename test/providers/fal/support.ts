// A generation at fal that fal has finished but not yet reported: the tests then deliver (or
// forge) the report themselves.
import { eq } from 'drizzle-orm';
import { generationTasks } from '../../../edge/db/schema';
import type { FalFake } from '../../fakes/fal';
import { db } from '../../edge/db';
import { generate, waitForStatus } from '../../edge/generation-support';
import { grant, json, signIn } from '../../edge/support';

export async function finishedUnreported(fal: () => FalFake, batch: number) {
  const me = await signIn();
  await grant(me.email, 20);
  fal().behaviour.autoComplete = false;
  const started = await json(await generate(me.access_token, { model_id: 'flux-schnell', prompt: 'a quiet pier', batch, resolution: 'hd', aspect_ratio: '1:1' }));
  await waitForStatus(me.access_token, started.id, 'running');
  fal().behaviour.autoComplete = true;
  const task = (await db().select().from(generationTasks).where(eq(generationTasks.generation_id, started.id)).get())!;
  fal().behaviour.webhooks = false;
  fal().complete(task.request_id!);
  fal().behaviour.webhooks = true;
  const images = (fal().requests.get(task.request_id!)!.result!.body as any).images.map((i: any) => ({ url: i.url as string }));
  return { me, generationId: started.id as string, task, images };
}
