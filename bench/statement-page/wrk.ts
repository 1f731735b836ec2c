// Runs Debian's wrk against one URL and reads back what it printed: requests per
// second, the latency percentiles (--latency) and the non-2xx/3xx count.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface WrkResult {
  requestsPerSecond: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx3xx: number;
  socketErrors: number;
  output: string;
}

export interface WrkOptions {
  connections?: number;
  seconds?: number;
  threads?: number;
  script?: string;
  /** Extra "-H" headers. */
  headers?: string[];
  /** Arguments for the script (after "--"). */
  args?: string[];
}

export async function wrk(url: string, { connections = 50, seconds = 10, threads = 2, script, headers = [], args: scriptArgs = [] }: WrkOptions = {}): Promise<WrkResult> {
  const args = ["-t", String(threads), "-c", String(connections), "-d", `${seconds}s`, "--latency", "--timeout", "5s"];
  for (const h of headers) args.push("-H", h);
  if (script) args.push("-s", script);
  args.push(url);
  if (scriptArgs.length) args.push("--", ...scriptArgs);
  const { stdout } = await run("wrk", args, { timeout: (seconds + 30) * 1000, maxBuffer: 1 << 20 });
  return parse(stdout);
}

function parse(output: string): WrkResult {
  const number = (re: RegExp) => {
    const m = re.exec(output);
    return m ? Number(m[1]) : 0;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    requests: number(/(\d+) requests in/),
    p50Ms: percentile(output, "50"),
    p99Ms: percentile(output, "99"),
    non2xx3xx: number(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    output,
  };
}

function percentile(output: string, which: "50" | "99"): number {
  const m = new RegExp(`^\\s+${which}(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(output);
  if (!m) return NaN;
  const value = Number(m[1]);
  return m[2] === "us" ? value / 1000 : m[2] === "s" ? value * 1000 : value;
}
