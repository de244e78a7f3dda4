import type { ChildProcess } from 'node:child_process';

/**
 * Stops a child: SIGTERM, then SIGKILL if it has not exited within the grace period.
 * Resolves once it has exited (at once when it already had).
 */
export function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Forwards a stream line by line with a prefix, so interleaved logs of several children stay
 * readable. A child that already prefixes its lines the same way is not prefixed twice.
 */
export function prefixLines(stream: NodeJS.ReadableStream | null, prefix: string, write: (line: string) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) write(line.startsWith(prefix) ? line : `${prefix} ${line}`);
  });
  stream.on('end', () => {
    if (pending) write(pending.startsWith(prefix) ? pending : `${prefix} ${pending}`);
  });
  stream.on('error', (error: Error) => write(`${prefix} (output lost: ${error.message})`));
}
