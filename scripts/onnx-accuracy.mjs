#!/usr/bin/env node
// Top-1 accuracy of an ONNX image classifier on an IDX test set, computed with ONNX Runtime for Node: an
// independent check of the fixtures in nets/ (and of any user network) that needs neither PyTorch nor Java.
//
// Setup (once, in any directory; --ignore-scripts skips an install script that downloads from a host this
// machine may not reach, the prebuilt CPU binaries are in the package itself):
//     cd /tmp && npm install --ignore-scripts onnxruntime-node
// Usage:
//     NODE_PATH=/tmp/node_modules node scripts/onnx-accuracy.mjs MODEL.onnx IMAGES.idx3[.gz] LABELS.idx1[.gz] \
//         [--mean 0.2860 --std 0.3530] [--batch 500] [--threads 2] [--json]
// e.g.
//     NODE_PATH=/tmp/node_modules node scripts/onnx-accuracy.mjs nets/resnet20.onnx \
//         /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \
//         /usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz --mean 0.2860 --std 0.3530
//
// Pixels are scaled to [0, 1] as float32(byte) / 255, then, when --mean/--std are given (one value per input
// channel, comma-separated), normalised as (pixel - mean) / std, exactly as ternsweep feeds an imported network.
// The input is [N, C, H, W] (an IDX image file of [N, H, W] is one channel). Prints the accuracy, or with --json
// one JSON object: accuracy, correct, images, the ONNX Runtime version, the predicted class of every image, and
// the logits of the first 4 images.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url); // CommonJS resolution honours NODE_PATH; ES imports do not
const usage = 'usage: node scripts/onnx-accuracy.mjs MODEL.onnx IMAGES.idx3[.gz] LABELS.idx1[.gz] '
    + '[--mean m1,m2,.. --std s1,s2,..] [--batch N] [--threads N] [--json]';

function fail(message) {
  console.error(message);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { positional: [], mean: null, std: null, batch: 500, threads: 2, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : fail(`${a} needs a value\n${usage}`));
    const numbers = (name, text) => text.split(',').map((t) => {
      const v = Number(t);
      if (t.trim() === '' || !Number.isFinite(v)) fail(`${name}: '${text}' is not a comma-separated list of numbers`);
      return v;
    });
    const count = (name, text) => {
      const v = Number(text);
      if (!Number.isInteger(v) || v < 1) fail(`${name}: '${text}' is not a positive integer`);
      return v;
    };
    if (a === '--mean') opts.mean = numbers(a, value());
    else if (a === '--std') opts.std = numbers(a, value());
    else if (a === '--batch') opts.batch = count(a, value());
    else if (a === '--threads') opts.threads = count(a, value());
    else if (a === '--json') opts.json = true;
    else if (a.startsWith('--')) fail(`unknown option ${a}\n${usage}`);
    else opts.positional.push(a);
  }
  if (opts.positional.length !== 3) fail(usage);
  if ((opts.mean === null) !== (opts.std === null)) fail('--mean and --std go together');
  if (opts.std && opts.std.some((s) => s <= 0)) fail(`--std: every value must be > 0, got ${opts.std}`);
  return opts;
}

// An IDX file of unsigned bytes (gzip'ed or not): its dimensions and its data.
function readIdx(path) {
  let raw = readFileSync(path);
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  if (raw.length < 4 || raw[0] !== 0 || raw[1] !== 0 || raw[2] !== 0x08) {
    fail(`${path}: not an unsigned-byte IDX file (magic ${raw.subarray(0, 4).toString('hex')})`);
  }
  const dims = [];
  for (let i = 0; i < raw[3]; i++) dims.push(raw.readUInt32BE(4 + 4 * i));
  const data = raw.subarray(4 + 4 * raw[3]);
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) fail(`${path}: ${data.length} data bytes, dimensions ${dims} need ${expected}`);
  return { dims, data };
}

const opts = parseArgs(process.argv.slice(2));
const [modelPath, imagesPath, labelsPath] = opts.positional;
let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  fail(`cannot load onnxruntime-node (${e.message}); install it with 'npm install --ignore-scripts `
      + `onnxruntime-node' and set NODE_PATH to that node_modules directory`);
}

const images = readIdx(imagesPath);
const labels = readIdx(labelsPath);
if (images.dims.length !== 3 && images.dims.length !== 4) fail(`${imagesPath}: expected [N, H, W] or [N, C, H, W]`);
const [n, channels, height, width] = images.dims.length === 3 ? [images.dims[0], 1, ...images.dims.slice(1)]
    : images.dims;
if (labels.dims.length !== 1 || labels.dims[0] !== n) {
  fail(`${labelsPath}: expected ${n} labels, found dimensions ${labels.dims}`);
}
const mean = opts.mean ?? new Array(channels).fill(0);
const std = opts.std ?? new Array(channels).fill(1);
if (mean.length !== channels || std.length !== channels) {
  fail(`--mean/--std: need ${channels} value(s), one per input channel; got ${mean.length} and ${std.length}`);
}

const session = await ort.InferenceSession.create(modelPath, {
  intraOpNumThreads: opts.threads, interOpNumThreads: 1, executionProviders: ['cpu'],
});
const [inputName] = session.inputNames;
const [outputName] = session.outputNames;
const plane = height * width;
const predictions = new Int32Array(n);
let correct = 0;
let firstLogits = null;
for (let start = 0; start < n; start += opts.batch) {
  const count = Math.min(opts.batch, n - start);
  const x = new Float32Array(count * channels * plane);
  for (let i = 0; i < x.length; i++) {
    const c = Math.floor(i / plane) % channels;
    // Math.fround at each step reproduces float32 arithmetic: f32(byte) / 255, then (p - mean) / std.
    const pixel = Math.fround(images.data[start * channels * plane + i] / 255);
    x[i] = opts.mean ? Math.fround(Math.fround(pixel - Math.fround(mean[c])) / Math.fround(std[c])) : pixel;
  }
  const out = await session.run({ [inputName]: new ort.Tensor('float32', x, [count, channels, height, width]) });
  const logits = out[outputName];
  const classes = logits.dims[1];
  if (logits.dims.length !== 2 || logits.dims[0] !== count) fail(`${outputName}: unexpected shape ${logits.dims}`);
  if (firstLogits === null) {
    firstLogits = [];
    for (let r = 0; r < Math.min(4, count); r++) {
      firstLogits.push(Array.from(logits.data.subarray(r * classes, (r + 1) * classes)));
    }
  }
  for (let r = 0; r < count; r++) {
    let best = 0; // first maximum on ties, as torch.argmax and ternsweep's evaluator
    for (let k = 1; k < classes; k++) if (logits.data[r * classes + k] > logits.data[r * classes + best]) best = k;
    predictions[start + r] = best;
    if (best === labels.data[start + r]) correct++;
  }
}

const accuracy = correct / n;
if (opts.json) {
  console.log(JSON.stringify({
    model: modelPath, images: n, correct, accuracy, onnxruntime: ort.env.versions.node ?? ort.env.versions.common,
    predictions: Array.from(predictions),
    first_logits: firstLogits,
  }));
} else {
  console.log(`${modelPath}: top-1 accuracy ${(100 * accuracy).toFixed(2)} % (${correct}/${n}), `
      + `ONNX Runtime ${ort.env.versions.node ?? ort.env.versions.common}`);
}
