import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, type WriteStream } from "node:fs";
import { stopChild, waitForReady } from "../support/facet";

// Facet under drill: dist/src/main.js as a child process (a cluster primary and its workers), its
// JSON log lines read as they come. One FacetLog outlives the Facets a run starts (the SIGTERM
// drill starts another), so that every drill sees the lines written while it ran.

/** A line of Facet's log (pino JSON; see src/logger.ts). */
export interface LogLine {
  level?: string;
  time?: string;
  message?: string;
  worker?: number;
  pid?: number;
  status?: number;
  errorCode?: string | null;
  [field: string]: unknown;
}

/** A log line and when it was read (Date.now()). */
export interface LogEvent {
  at: number;
  line: LogLine;
}

/**
 * Keeps what matters of Facet's log: every line but the request lines of answers that went well
 * (LOG_LEVEL=info writes one per request, too many to keep through a soak) in memory and in the
 * file, which outlives the run.
 */
export class FacetLog {
  readonly events: LogEvent[] = [];

  constructor(
    readonly file: string,
    private readonly stream: WriteStream,
  ) {}

  /** Reads a child's stdout and stderr line by line. */
  follow(child: ChildProcess): void {
    for (const output of [child.stdout, child.stderr]) {
      if (!output) continue;
      let buffered = "";
      output.setEncoding("utf8");
      output.on("data", (chunk: string) => {
        buffered += chunk;
        const complete = buffered.split("\n");
        buffered = complete.pop()!;
        for (const text of complete) this.take(text);
      });
      output.on("end", () => {
        if (buffered) this.take(buffered);
        buffered = "";
      });
    }
  }

  private take(text: string): void {
    if (!text.trim()) return;
    let line: LogLine | undefined;
    try {
      line = text.startsWith("{") ? (JSON.parse(text) as LogLine) : undefined;
    } catch {
      line = undefined;
    }
    // Not JSON (a crash's stack trace, say): kept as a message of its own.
    line ??= { level: "text", message: text };
    if (line.message === "request" && (line.status ?? 0) < 500 && !line.errorCode) return;
    this.events.push({ at: Date.now(), line });
    this.stream.write(`${text}\n`);
  }

  /** Lines read between two instants. */
  between(from: number, to: number): LogLine[] {
    return this.events.filter((e) => e.at >= from && e.at <= to).map((e) => e.line);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}

export interface Exit {
  /** From the signal to the exit. */
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** We had to SIGKILL it. */
  killed: boolean;
}

export class DrillFacet {
  private readonly exitPromise: Promise<Exit & { at: number }>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: URL,
    private readonly main: string,
  ) {
    this.exitPromise = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ at: Date.now(), ms: 0, code, signal, killed: false })));
  }

  /** Spawns `node <flags> <main>` with `env` and waits for /readyz. */
  static async start(options: { main: string; cwd: string; flags: string[]; env: NodeJS.ProcessEnv; port: number; log: FacetLog; readyTimeoutMs?: number }): Promise<DrillFacet> {
    // Its own process group: a Ctrl-C reaches the drill, which stops Facet in order.
    const child = spawn(process.execPath, [...options.flags, options.main], { cwd: options.cwd, env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    options.log.follow(child);
    const facet = new DrillFacet(child, new URL(`http://127.0.0.1:${options.port}`), options.main);
    try {
      await waitForReady(facet.url, child, options.log.file, options.readyTimeoutMs);
    } catch (error) {
      await stopChild(child);
      throw error;
    }
    return facet;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The primary's child processes: its workers (Linux: /proc/<pid>/task/<pid>/children). */
  workerPids(): number[] {
    const file = `/proc/${this.pid}/task/${this.pid}/children`;
    if (!existsSync(file)) return [];
    try {
      return readFileSync(file, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  }

  /**
   * Sends `signal` to the primary and waits for it to exit on its own, for at most `waitMs`;
   * then SIGKILLs it (and whatever workers it left). Returns how long it took and how it ended.
   */
  async signal(signal: NodeJS.Signals, waitMs: number): Promise<Exit> {
    const workers = this.workerPids();
    const sent = Date.now();
    this.child.kill(signal);
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      this.child.kill("SIGKILL");
    }, waitMs);
    const exit = await this.exitPromise;
    clearTimeout(timer);
    if (killed) this.killLeftBehind(workers);
    return { ms: exit.at - sent, code: exit.code, signal: exit.signal, killed };
  }

  /** Stops it as an operator would (SIGTERM, SIGKILL after 20 s), and any worker it left behind. */
  async stop(): Promise<void> {
    const workers = this.workerPids();
    await stopChild(this.child);
    if (this.child.signalCode === "SIGKILL") this.killLeftBehind(workers);
  }

  /** SIGKILLs those of `pids` that still run this Facet's entry point: workers of a primary that was killed. */
  private killLeftBehind(pids: number[]): void {
    for (const pid of pids) {
      try {
        if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(this.main)) process.kill(pid, "SIGKILL");
      } catch {
        // Gone already.
      }
    }
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
