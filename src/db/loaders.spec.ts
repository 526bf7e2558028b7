import { MAX_BATCH_SIZE, readInBatches } from "./loaders";

describe("readInBatches", () => {
  const keys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}`);
  const recording = () => {
    const asked: string[][] = [];
    const read = async (batch: readonly string[]) => {
      asked.push([...batch]);
      return new Map(batch.filter((k) => k !== "k7").map((k) => [k, k.toUpperCase()]));
    };
    return { asked, read };
  };

  it("reads a list of up to MAX_BATCH_SIZE keys in one batch", async () => {
    const { asked, read } = recording();
    const found = await readInBatches(keys(MAX_BATCH_SIZE), read);
    expect(asked.map((batch) => batch.length)).toEqual([MAX_BATCH_SIZE]);
    expect(found.size).toBe(MAX_BATCH_SIZE - 1);
  });

  it("splits a longer list into batches of at most MAX_BATCH_SIZE, asked at once, and merges what they find", async () => {
    const { asked, read } = recording();
    const all = keys(2 * MAX_BATCH_SIZE + 1);
    const pending = readInBatches(all, read);
    expect(asked.map((batch) => batch.length)).toEqual([MAX_BATCH_SIZE, MAX_BATCH_SIZE, 1]); // before any answer
    const found = await pending;
    expect(asked.flat()).toEqual(all);
    expect(found.size).toBe(all.length - 1);
    expect(found.get(all[all.length - 1])).toBe(all[all.length - 1].toUpperCase());
    expect(found.has("k7")).toBe(false);
  });
});
