import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DataSource } from "typeorm";
import { loadConfig, type Config } from "../../config";

/**
 * Where export files are kept: a directory today, an object store later. Keys are names made by
 * Facet (letters, digits, `.`, `_` and `-`), never a client's.
 */
export interface ExportStorage {
  /** Stores the body under `key`, read as fast as the storage takes it; nothing is kept under `key` unless all of it was stored. */
  put(key: string, body: AsyncIterable<Buffer> | Readable): Promise<void>;
  /** The stored file and its size, or null when there is none. */
  open(key: string): Promise<{ body: Readable; size: number } | null>;
  /** Deletes the file; deleting a missing one is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

function checked(key: string): string {
  if (!KEY.test(key) || key.includes("..")) throw new Error(`not a storage key: ${JSON.stringify(key)}`);
  return key;
}

/** Files in one directory (DATA_DIR/exports), written under a temporary name and renamed once complete. */
export class FileStorage implements ExportStorage {
  constructor(readonly dir: string) {}

  async put(key: string, body: AsyncIterable<Buffer> | Readable): Promise<void> {
    const file = path.join(this.dir, checked(key));
    const partial = `${file}.part`;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    try {
      // pipeline() pulls the next chunk only once the file has taken the last: memory stays flat.
      await pipeline(body, createWriteStream(partial, { flags: "wx", mode: 0o600 }));
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async open(key: string): Promise<{ body: Readable; size: number } | null> {
    let handle;
    try {
      handle = await open(path.join(this.dir, checked(key)), "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    // The open file outlives a deletion under way: what was stored is what is read.
    const { size } = await handle.stat();
    return { body: handle.createReadStream(), size };
  }

  async delete(key: string): Promise<void> {
    await rm(path.join(this.dir, checked(key)), { force: true });
  }
}

/** What the bulk export jobs and the download route of one data source use. */
export interface ExportSettings {
  config: Config;
  storage: ExportStorage;
}

const settings = new WeakMap<DataSource, ExportSettings>();
let fromEnvironment: ExportSettings | undefined;

/** Files under the configuration's data directory. */
export function defaultStorage(config: Config): ExportStorage {
  return new FileStorage(path.join(config.dataDir, "exports"));
}

/** Sets the configuration and storage the jobs and routes on `dataSource` use (the server does, as it starts). */
export function useBulkExports(dataSource: DataSource, config: Config, storage: ExportStorage = defaultStorage(config)): ExportSettings {
  const set = { config, storage };
  settings.set(dataSource, set);
  return set;
}

/**
 * The settings of `dataSource`. A process that runs only jobs (`npm run worker`) starts no server:
 * there they are those of the environment, as the worker's own configuration is.
 */
export function bulkExportsOf(dataSource: DataSource): ExportSettings {
  const set = settings.get(dataSource);
  if (set) return set;
  if (!fromEnvironment) {
    const config = loadConfig();
    fromEnvironment = { config, storage: defaultStorage(config) };
  }
  return fromEnvironment;
}
