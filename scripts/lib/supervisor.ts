/**
 * Keeps one child process alive for `make start`. Policy (README, "make start"): a child
 * that dies on its own is restarted after a growing pause (1 s, 2 s, 4 s … 30 s); one that
 * keeps dying — five times within two minutes — is given up, and the supervisor stops
 * everything and says which child failed, rather than restarting it forever behind a
 * scrolling log. Children run in their own process group, so a Ctrl-C in the terminal
 * reaches only the supervisor, which then stops them in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { prefixLines, stopChild } from './child-process';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

const MAX_CRASHES = 5;
const CRASH_WINDOW_MS = 120_000;
const MAX_BACKOFF_MS = 30_000;

export class SupervisedChild {
  private child?: ChildProcess;
  private stopping = false;
  private crashes: number[] = [];
  private restartTimer?: NodeJS.Timeout;

  constructor(
    private readonly spec: ChildSpec,
    private readonly log: (line: string) => void,
    /** Called when the child keeps crashing and the supervisor should give up. */
    private readonly onGiveUp: (reason: string) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  /** The running process's id (the cluster test kills it to see the restart). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const prefix = `[${this.spec.name}]`;
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    prefixLines(child.stdout, prefix, this.log);
    prefixLines(child.stderr, prefix, this.log);
    // A child that could not start reports 'error' and maybe also 'exit' (Node's docs): counted once.
    let gone = false;
    const onGone = (how: string) => {
      if (gone || this.stopping) return;
      gone = true;
      this.onUnexpectedExit(how);
    };
    child.once('exit', (code, signal) => onGone(signal ? `killed by ${signal}` : `exited with code ${code}`));
    child.on('error', (error) => onGone(`could not run (${error.message})`));
  }

  private onUnexpectedExit(how: string): void {
    const now = Date.now();
    this.crashes = [...this.crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    if (this.crashes.length >= MAX_CRASHES) {
      this.onGiveUp(`${this.spec.name} ${how}, its ${MAX_CRASHES}th crash in ${CRASH_WINDOW_MS / 1000} s; see its log above`);
      return;
    }
    const backoffMs = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.crashes.length - 1));
    this.log(`[supervisor] ${this.spec.name} ${how}; restarting in ${backoffMs / 1000} s`);
    this.restartTimer = setTimeout(() => this.start(), backoffMs);
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (this.child) await stopChild(this.child, graceMs);
  }
}
