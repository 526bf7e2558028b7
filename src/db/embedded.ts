import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { freePort } from "../free-port";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

// PGlite (PostgreSQL compiled to WASM) kept in a directory and served over the wire protocol,
// so Facet talks to it through the very same `pg` driver and migrations as to a real server.
// pglite-socket multiplexes every client onto PGlite's single session and is only correct with
// one client at a time (upstream issue electric-sql/pglite#1046): the pool in front of it must
// hold exactly one connection. Two are allowed here so that a reconnect can succeed.
// PGlite has no locking of its own: two processes on one directory would corrupt it.
function lock(dir: string): () => void {
  const file = `${dir}.pid`;
  try {
    const pid = Number(readFileSync(file, "utf8"));
    if (pid && pid !== process.pid) {
      process.kill(pid, 0); // throws when no such process
      throw new Error(`The embedded database in ${dir} is in use by process ${pid}; stop it first or set DATABASE_URL`);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" && (error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const dir = path.join(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  const unlock = lock(dir);
  const { PGlite } = await import("@electric-sql/pglite");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const db = await PGlite.create(dir, { extensions: { pg_trgm } });
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 2 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
      unlock();
    },
  };
}
