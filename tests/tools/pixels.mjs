// What an image looks like, in numbers, for tests that cannot read text
// off a picture: images decoded by Chromium (any PNG, JPEG, GIF or SVG
// it shows), through playwright-core.
//
//   node tests/tools/pixels.mjs IMAGE [REFERENCE]
//
// Prints one JSON object:
//   { width, height,       the size of IMAGE
//     nonwhite,            the share of its pixels with a channel below 235
//     difference? }        with REFERENCE: how far IMAGE is from it, 0
//                          (the same) to 1, as the mean difference of the
//                          channels over a 40 x 64 grid, REFERENCE drawn
//                          stretched over IMAGE, or fitted in it on white
//                          (whichever is nearer: converters do both)
// Exit 0, or 2 when an image cannot be read.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { launch, newPage } from '../browser/lib.mjs';

const TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml' };

function dataUrl(file) {
  const bytes = readFileSync(file);
  // (the type from the first bytes: converters name a JPEG .jpg or not)
  let type = TYPES[extname(file).toLowerCase()] || 'application/octet-stream';
  if (bytes[0] === 0x89 && bytes[1] === 0x50) type = 'image/png';
  else if (bytes[0] === 0xff && bytes[1] === 0xd8) type = 'image/jpeg';
  return `data:${type};base64,${bytes.toString('base64')}`;
}

const [file, reference] = process.argv.slice(2);
if (!file) {
  console.error('usage: node pixels.mjs IMAGE [REFERENCE]');
  process.exit(2);
}

const browser = await launch();
let code = 0;
try {
  const page = await newPage(browser);
  await page.setContent('<!DOCTYPE html><title>pixels</title>');
  const result = await page.evaluate(async ([a, b]) => {
    const load = (src) => new Promise((ok, fail) => {
      const img = new Image();
      img.onload = () => ok(img);
      img.onerror = () => fail(new Error('cannot decode the image'));
      img.src = src;
    });
    const grid = (draw) => {
      const c = document.createElement('canvas');
      c.width = 40;
      c.height = 64;
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, 40, 64);
      g.imageSmoothingQuality = 'high';
      draw(g);
      return g.getImageData(0, 0, 40, 64).data;
    };
    const img = await load(a);
    const full = document.createElement('canvas');
    full.width = img.naturalWidth;
    full.height = img.naturalHeight;
    const fg = full.getContext('2d');
    fg.drawImage(img, 0, 0);
    const px = fg.getImageData(0, 0, full.width, full.height).data;
    let inked = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i] < 235 || px[i + 1] < 235 || px[i + 2] < 235) inked++;
    }
    const out = { width: img.naturalWidth, height: img.naturalHeight, nonwhite: inked / (px.length / 4) };
    if (b) {
      const ref = await load(b);
      const mine = grid((g) => g.drawImage(img, 0, 0, 40, 64));
      const stretched = grid((g) => g.drawImage(ref, 0, 0, 40, 64));
      // REFERENCE fitted in IMAGE's shape, then that shape on the grid
      const s = Math.min(img.naturalWidth / ref.naturalWidth, img.naturalHeight / ref.naturalHeight);
      const w = (ref.naturalWidth * s * 40) / img.naturalWidth;
      const h = (ref.naturalHeight * s * 64) / img.naturalHeight;
      const fitted = grid((g) => g.drawImage(ref, (40 - w) / 2, (64 - h) / 2, w, h));
      const diff = (x, y) => {
        let sum = 0;
        let n = 0;
        for (let i = 0; i < x.length; i += 4) {
          for (let k = 0; k < 3; k++) sum += Math.abs(x[i + k] - y[i + k]);
          n += 3;
        }
        return sum / n / 255;
      };
      out.difference = Math.min(diff(mine, stretched), diff(mine, fitted));
    }
    return out;
  }, [dataUrl(file), reference ? dataUrl(reference) : null]);
  console.log(JSON.stringify(result));
} catch (e) {
  console.error(`pixels: ${e.message}`);
  code = 2;
} finally {
  await browser.close();
}
process.exit(code);
