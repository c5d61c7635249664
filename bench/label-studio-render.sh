#!/usr/bin/env bash
# Loads an exported review queue (plumb queue export) in the Label Studio frontend from npm in
# headless Chromium and checks that the labeling screen renders: the first task's text, every
# policy's decision choices, an <img> for each of the unit's images, and no page error (image URLs are replaced by a local placeholder: the
# check is about the labeling config, and it runs offline). Run by hand (it needs npm's registry the first
# time and a Chromium), not in CI. docs/review.md, "Label Studio setup".
#
#   bench/label-studio-render.sh QUEUE_DIR [SCREENSHOT.png]
#
# Needs: node and npm; chromium (Debian: apt-get install -y chromium) or CHROMIUM=/path/to/it.
# Installs ${LSF_PACKAGE:-@heartexlabs/label-studio}@${LSF_VERSION:-1.4.0} and playwright-core under
# the plumb cache (.plumb-cache/label-studio-bench/<package>@<version>); the frontend's bundle is
# read from build/static (label-studio, @heartexlabs/label-studio) or dist/lsf
# (label-studio-frontend). Exit 0 when it renders, 1 when it does not.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
queue="$(cd "${1:?usage: bench/label-studio-render.sh QUEUE_DIR [SCREENSHOT.png]}" && pwd)"
shot="${2:-$queue/label-studio.png}"
version="${LSF_VERSION:-1.4.0}"
package="${LSF_PACKAGE:-@heartexlabs/label-studio}"
chromium="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$chromium" ] || { echo "label-studio-render: no chromium (apt-get install -y chromium, or CHROMIUM=...)" >&2; exit 2; }
work="${PLUMB_CACHE_DIR:-$root/.plumb-cache}/label-studio-bench/${package//\//_}@$version"
mkdir -p "$work"
if [ ! -f "$work/node_modules/$package/package.json" ]; then
  # --ignore-scripts: some releases' install scripts are missing from the package (1.8.0's postinstall)
  (cd "$work" && npm install --no-audit --no-fund --silent --ignore-scripts "$package@$version" playwright-core >&2)
fi
build=""
for b in build/static dist/lsf; do
  [ -f "$work/node_modules/$package/$b/js/main.js" ] && build="$work/node_modules/$package/$b" && break
done
[ -n "$build" ] || { echo "label-studio-render: $package@$version has no frontend bundle (build/static or dist/lsf js/main.js)" >&2; exit 2; }
cat > "$work/render.js" <<'JS'
// Renders the queue's first task with its labeling config; prints what it found as JSON.
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const [queue, shot, browserPath, build] = process.argv.slice(2);
const config = fs.readFileSync(path.join(queue, 'label-studio.xml'), 'utf8');
const tasks = JSON.parse(fs.readFileSync(path.join(queue, 'label-studio.json'), 'utf8'));
const task = tasks.find(t => t.predictions) || tasks[0];
// offline: every http(s) image becomes a local placeholder, or the frontend shows a load error
// instead of the labeling screen; the check is about the config, not the image host
const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==';
const local = v => (typeof v === 'string' && /^https?:/.test(v)) ? PIXEL : Array.isArray(v) ? v.map(local) : v;
for (const k of Object.keys(task.data)) if (k === 'images' || k.startsWith('image_')) task.data[k] = local(task.data[k]);
const page = `<!doctype html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="file://${build}/css/main.css"></head>
<body><div id="label-studio"></div><script src="file://${build}/js/main.js"></script>
<script>
window.lsErrors = [];
window.addEventListener('error', e => window.lsErrors.push(String(e.message)));
new LabelStudio('label-studio', {
  config: ${JSON.stringify(config)},
  interfaces: ['panel', 'update', 'submit', 'controls', 'side-column', 'predictions:menu'],
  user: { id: 1, pk: 1, firstName: 'bench', lastName: 'render' }, // id: frontend 1.7+, pk: older
  task: { id: 1, data: ${JSON.stringify(task.data)}, predictions: ${JSON.stringify(task.predictions || [])}, annotations: [] },
  onLabelStudioLoad: ls => { const c = ls.annotationStore.addAnnotation({ userGenerate: true }); ls.annotationStore.selectAnnotation(c.id); }
});
</script></body></html>`;
(async () => {
  const html = path.join(__dirname, 'render.html');
  fs.writeFileSync(html, page);
  const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox', '--allow-file-access-from-files'] });
  const p = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  const errors = [];
  p.on('pageerror', e => errors.push(String(e.message || e)));
  await p.goto('file://' + html);
  await p.waitForTimeout(4000);
  const text = await p.evaluate(() => document.getElementById('label-studio').innerText || '');
  // every image of the unit must be an <img> on the screen (a frontend that ignores valueList shows none)
  const imgs = await p.evaluate(() => document.querySelectorAll('#label-studio img').length);
  await p.screenshot({ path: shot, fullPage: true });
  await browser.close();
  // the decision choices (categories stay hidden until a positive decision is chosen)
  const decisionBlocks = [...config.matchAll(/<Choices (?![^>]*visibleWhen)[^>]*>([\s\S]*?)<\/Choices>/g)].map(m => m[1]);
  const choices = decisionBlocks.flatMap(b => [...b.matchAll(/<Choice value="([^"]+)"/g)].map(m => m[1]));
  const missing = [...new Set(choices)].filter(c => !text.includes(c));
  const item = task.data.item;
  const wanted = /<Image /.test(config) ? (task.data.images || []).length : 0;
  console.log(JSON.stringify({ item, rendered_chars: text.length, item_shown: text.includes(item), missing_choices: missing,
    images: wanted, images_shown: imgs, errors }));
  process.exit(text.includes(item) && missing.length === 0 && errors.length === 0 && imgs >= wanted ? 0 : 1);
})().catch(e => { console.error(e); process.exit(1); });
JS
node "$work/render.js" "$queue" "$shot" "$chromium" "$build" && echo "label-studio-render: renders in $package $version ($shot)" \
  || { echo "label-studio-render: does NOT render in $package $version (see $shot)" >&2; exit 1; }
