/**
 * workers/main.ts as its own process, for tests that kill the worker the hard way (SIGKILL: no
 * shutdown, tasks in flight lost) and start another against the same stack. Started with
 * node --import tsx: one process, so SIGKILL hits the worker itself. Each process's output goes
 * to <test run dir>/<task queue>-<name>.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { stopChild } from '../../scripts/lib/child-process';
import { testRunDir } from './harness-state';
import type { Stack } from './stack';

const root = path.resolve(__dirname, '..', '..');

/** The worker processes a test file started; stopAll() in its afterAll ends those still running. */
export class WorkerProcesses {
  private readonly started: ChildProcess[] = [];

  /** `env` adds to (or overrides) the stack's environment. */
  start(stack: Stack, name: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
    const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: root, env: { ...stack.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(path.join(testRunDir(), `${stack.taskQueue}-${name}.log`));
    worker.stdout?.pipe(log);
    worker.stderr?.pipe(log);
    this.started.push(worker);
    return worker;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((worker) => stopChild(worker)));
  }
}

export function killHard(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill('SIGKILL');
  });
}
