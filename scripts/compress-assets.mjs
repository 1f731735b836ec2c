// After `remix build`: a brotli and a gzip copy beside each browser asset, so the server
// sends them as they are (express-static-gzip) instead of compressing ~270 KB of script
// on every first view. Compressing them per request held up the stylesheet behind the
// scripts on a busy machine, and with it the first paint (bench/first-view).
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const ROOTS = ["public/build", "public/styles.css"];
const WORTH = /\.(js|css|svg|json|map)$/;

function files(p) {
  if (!fs.existsSync(p)) return [];
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p).flatMap((name) => files(path.join(p, name)));
}

let count = 0;
for (const file of ROOTS.flatMap(files).filter((f) => WORTH.test(f))) {
  const source = fs.readFileSync(file);
  const mtime = fs.statSync(file).mtimeMs;
  const fresh = (copy) => fs.existsSync(copy) && fs.statSync(copy).mtimeMs >= mtime;
  if (!fresh(`${file}.br`))
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(source, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: source.length } }));
  if (!fresh(`${file}.gz`)) fs.writeFileSync(`${file}.gz`, zlib.gzipSync(source, { level: 9 }));
  count++;
}
console.log(`compressed copies of ${count} browser assets (brotli, gzip)`);
