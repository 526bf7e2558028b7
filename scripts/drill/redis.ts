import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";

// The drill's own redis-server, a child process on a port of its own that keeps nothing on disk:
// killing it touches no other Redis on the machine.

const READY_TIMEOUT_MS = 10_000;

/** Sends PING on a connection of its own: whether +PONG came back within a second. */
export function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    let reply = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (reply.includes("\r\n")) done(reply.startsWith("+PONG"));
    });
  });
}

export class DrillRedis {
  private child: ChildProcess | undefined;
  private output = "";

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts redis-server and waits until it answers PING. */
  async start(): Promise<void> {
    if (this.child) throw new Error("the drill's Redis is already running");
    this.output = "";
    const child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"], {
      // Its own process group: a Ctrl-C reaches the drill, which stops Redis last.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (this.output = (this.output + chunk).slice(-4000)));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.output = (this.output + chunk).slice(-4000)));
    child.once("exit", () => {
      if (this.child === child) this.child = undefined;
    });
    const spawned = await new Promise<Error | undefined>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", resolve);
    });
    if (spawned) {
      this.child = undefined;
      throw new Error(`could not start redis-server: ${spawned.message}`);
    }
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}: ${this.output.trim().slice(-400)}`);
      if (await redisAnswers(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server did not answer within ${READY_TIMEOUT_MS / 1000} s: ${this.output.trim().slice(-400)}`);
  }

  /** Stops it with `signal` (SIGKILL: as a crash) and waits for it to be gone. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}
