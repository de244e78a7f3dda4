/**
 * workers/main.ts (or api/server.ts) as its own process, for tests that kill the worker the hard
 * way (SIGKILL: no shutdown, tasks in flight lost) and start another against the same stack,
 * that run several API processes on one database, or that read what a process logs and serves
 * as production runs it. Started with node --import tsx: one process, so SIGKILL hits the worker
 * itself; with production's malloc settings (platform/malloc.ts) and a worker with its heap flags
 * (workers/heap.ts). Each process's output (JSON log lines, at LOG_LEVEL info unless the test says
 * otherwise) goes to <test run dir>/<task queue>-<name>.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { MALLOC_ENV } from '../../platform/malloc';
import { stopChild } from '../../scripts/lib/child-process';
import { WORKER_HEAP_FLAGS } from '../../workers/heap';
import { testRunDir } from './harness-state';
import type { Stack } from './stack';

const root = path.resolve(__dirname, '..', '..');

/** Where the output of the process `name` started for `stack` goes. */
export function processLogPath(stack: Stack, name: string): string {
  return path.join(testRunDir(), `${stack.taskQueue}-${name}.log`);
}

/** The processes a test file started; stopAll() in its afterAll ends those still running. */
export class WorkerProcesses {
  private readonly started: ChildProcess[] = [];

  /** A worker; `env` adds to (or overrides) the stack's environment. */
  start(stack: Stack, name: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
    return this.spawnEntry([...WORKER_HEAP_FLAGS, 'workers/main.ts'], stack, name, env);
  }

  /** An API process (give it its own PORT in `env`). */
  startApi(stack: Stack, name: string, env: NodeJS.ProcessEnv): ChildProcess {
    return this.spawnEntry(['api/server.ts'], stack, name, env);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((child) => stopChild(child)));
  }

  /** `args`: node's flags, if any, then the entry. */
  private spawnEntry(args: string[], stack: Stack, name: string, env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...MALLOC_ENV, ...stack.env, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(processLogPath(stack, name));
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.started.push(child);
    return child;
  }
}

export function killHard(worker: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill('SIGKILL');
  });
}
