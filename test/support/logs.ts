/** The JSON log lines written to stderr while `work` runs. */
export async function logged<T>(work: () => Promise<T>): Promise<{ result: T; lines: Record<string, any>[] }> {
  const lines: Record<string, any>[] = [];
  const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split("\n").filter(Boolean)) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        // not a log line
      }
    }
    return true;
  });
  try {
    return { result: await work(), lines };
  } finally {
    spy.mockRestore();
  }
}
