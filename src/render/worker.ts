import {createBodyRenderer, type BodyJob, type BodyRenderer, type BodyResult, type RenderSettings} from './body.js'

/** One job for a worker thread: the settings travel as a shared buffer, decoded once per id. */
export interface RenderTask {
  readonly settingsId: number
  readonly settings: SharedArrayBuffer
  readonly job: BodyJob
}

let current: {id: number; renderer: BodyRenderer} | undefined

/** The worker thread's entry (tinypool calls the default export once per task). */
export default async function renderTask(task: RenderTask): Promise<BodyResult> {
  if (current?.id !== task.settingsId) {
    // The shared buffer cannot be decoded in place; copy it out once.
    const settings = JSON.parse(new TextDecoder().decode(new Uint8Array(task.settings).slice())) as RenderSettings
    current = {id: task.settingsId, renderer: createBodyRenderer(settings)}
  }
  return current.renderer.render(task.job)
}
