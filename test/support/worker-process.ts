/**
 * workers/main.ts (or api/server.ts) as its own process, for tests that kill the worker the hard
 * way (SIGKILL: no shutdown, tasks in flight lost) and start another against the same stack, or
 * that read what a process logs and serves as production runs it. Started with node --import
 * tsx: one process, so SIGKILL hits the worker itself. Each process's output (JSON log lines,
 * at LOG_LEVEL info unless the test says otherwise) goes to <test run dir>/<task queue>-<name>.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { stopChild } from '../../scripts/lib/child-process';
import { testRunDir } from './harness-state';
import type { Stack } from './stack';

const root = path.resolve(__dirname, '..', '..');

export interface ProcessOptions {
  /** The entry point; the worker's by default. */
  entry?: 'workers/main.ts' | 'api/server.ts';
  /** Added to the stack's environment. */
  env?: NodeJS.ProcessEnv;
}

/** Where the output of the process `name` started for `stack` goes. */
export function processLogPath(stack: Stack, name: string): string {
  return path.join(testRunDir(), `${stack.taskQueue}-${name}.log`);
}

/** The processes a test file started; stopAll() in its afterAll ends those still running. */
export class WorkerProcesses {
  private readonly started: ChildProcess[] = [];

  start(stack: Stack, name: string, options: ProcessOptions = {}): ChildProcess {
    const env = { ...stack.env, LOG_LEVEL: 'info', ...options.env };
    const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'workers/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(processLogPath(stack, name));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.started.push(child);
    return child;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((child) => stopChild(child)));
  }
}

export function killHard(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill('SIGKILL');
  });
}
