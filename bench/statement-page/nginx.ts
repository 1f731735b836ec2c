// A throw-away nginx (Debian's) serving one directory on a free loopback port, in the
// foreground as our child process, with every path it writes inside `dir`.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export interface RunningNginx {
  url: string;
  stop: () => Promise<void>;
}

export async function startNginx(dir: string, root: string, port: number): Promise<RunningNginx> {
  for (const sub of ["logs", "tmp"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const conf = path.join(dir, "nginx.conf");
  // Debian's defaults where it matters for speed (worker_processes auto, sendfile,
  // tcp_nopush); logging off so the disk does not take part in the measurement.
  fs.writeFileSync(
    conf,
    `daemon off;
worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    # Real types for styles and scripts: served as text/html a browser ignores them, and a
    # "floor" measured so is a page without its stylesheet (bench/first-view).
    include /etc/nginx/mime.types;
    default_type "text/html; charset=utf-8";
    etag on;
  }
}
`,
  );
  const child: ChildProcess = spawn("nginx", ["-p", dir, "-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${output}`);
    try {
      await fetch(url + "/");
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGQUIT"); // graceful: the master stops its workers, then itself
      }),
  };
}
