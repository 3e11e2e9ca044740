import fc from 'fast-check';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { linePieces, readRecords, type ChunkLimits, type RawRecord } from '../../ocsf/recordReader';

async function all(body: Buffer | Readable): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const batch of readRecords(body)) out.push(...batch);
  return out;
}

describe('reading log objects into records', () => {
  const lines = ['{"a":1}', '{"a":2}', '{"a":3}'];

  test('plain JSON lines, with CRLF, blank lines and no final newline', async () => {
    expect(await all(Buffer.from(`${lines[0]}\r\n\r\n${lines[1]}\n${lines[2]}`))).toEqual([
      { text: lines[0], line: 1 }, { text: lines[1], line: 3 }, { text: lines[2], line: 4 },
    ]);
  });

  test('gzip is recognised by its bytes, whatever the name; a stream split mid-line is rejoined', async () => {
    const gz = gzipSync(lines.join('\n') + '\n');
    const pieces = [gz.subarray(0, 7), gz.subarray(7, 20), gz.subarray(20)];
    expect((await all(Readable.from(pieces))).map((r) => r.text)).toEqual(lines);
  });

  test('a JSON array document yields its elements', async () => {
    expect(await all(Buffer.from(`\n[${lines.join(',\n')}]\n`))).toEqual([
      { text: '{"a":1}', line: 1 }, { text: '{"a":2}', line: 2 }, { text: '{"a":3}', line: 3 },
    ]);
  });

  test('bytes that are not UTF-8 are kept raw, line by line', async () => {
    const records = await all(Buffer.concat([Buffer.from(`${lines[0]}\n`), Buffer.from([0xff, 0x00, 0x41]), Buffer.from(`\n${lines[1]}\n`)]));
    expect(records).toEqual([{ text: lines[0], line: 1 }, { bytes: Buffer.from([0xff, 0x00, 0x41]), line: 2 }, { text: lines[1], line: 3 }]);
  });

  test('an empty object has no records', async () => {
    expect(await all(Buffer.alloc(0))).toEqual([]);
    expect(await all(gzipSync(''))).toEqual([]);
  });

  test('the records do not depend on how the object arrives', async () => {
    const line = fc.oneof(
      fc.constantFrom('', '\r', '  ', '{"a":1}', '{"b":"x"}\r', '{"é":"東京"}'),
      fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 17 }), async (lines, finalNewline, piece) => {
      const bytes = Buffer.from(lines.join('\n') + (finalNewline ? '\n' : ''), 'latin1');
      const pieces = Readable.from(Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => bytes.subarray(i * piece, (i + 1) * piece)));
      expect(await all(pieces)).toEqual(await all(bytes));
    }), { numRuns: 300 });
  });

  test('chunks end where the content says, however the object arrives, and hold every line once', async () => {
    /** The chunks of an object, each as its pieces joined back into lines. */
    const chunks = async (body: Buffer | Readable, limits: ChunkLimits): Promise<string[][]> => {
      const out: string[][] = [];
      let open: string[] = [];
      for await (const piece of linePieces(body, limits)) {
        open.push(piece.data.toString('latin1'));
        if (piece.chunkEnd) {
          out.push(open.join('\n').split('\n'));
          open = [];
        }
      }
      expect(open).toEqual([]);
      return out;
    };
    const line = fc.oneof(fc.constantFrom('', '{"a":1}', '{"b":"xyz"}\r'), fc.string({ maxLength: 30 }).map((t) => t.replace(/\n/g, ' ')));
    await fc.assert(fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 60 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 23 }),
      async (lines, finalNewline, maxLines, maxBytes, piece) => {
        const text = `{"first":0}\n${lines.join('\n')}${finalNewline ? '\n' : ''}`;
        const bytes = Buffer.from(text, 'latin1');
        const limits = { lines: maxLines, bytes: maxBytes };
        const whole = await chunks(bytes, limits);
        const pieces = Readable.from(Array.from({ length: Math.ceil(bytes.length / piece) }, (_, i) => bytes.subarray(i * piece, (i + 1) * piece)));
        expect(await chunks(pieces, limits)).toEqual(whole);
        // The object's lines: after a final newline, nothing more.
        expect(whole.flat()).toEqual(text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined));
        // Every chunk but the last ends at the line or byte limit, not before.
        for (const chunk of whole.slice(0, -1)) expect(chunk.length === maxLines || chunk.join('\n').length + 1 >= maxBytes).toBe(true);
        for (const chunk of whole) expect(chunk.length).toBeLessThanOrEqual(maxLines);
      }), { numRuns: 300 });
  });
});
