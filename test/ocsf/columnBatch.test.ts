import { BATCH_ROWS, ColumnBatch } from '../../ocsf/columnBatch';

function sealedStrings(values: (string | undefined)[]) {
  const batch = new ColumnBatch(['VARCHAR']);
  values.forEach((v, r) => (batch.texts[0]![r] = v));
  batch.rows = values.length;
  batch.seal();
  const { heap, offsets, lengths } = batch.strings[0]!;
  return values.map((_, r) => (batch.valid[0][r >> 3] & (1 << (r & 7)) ? Buffer.from(heap.subarray(offsets[r], offsets[r] + lengths[r])).toString('utf8') : undefined));
}

describe('column batches encode strings once per column', () => {
  test('ASCII, repeats, NULLs and multi-byte text read back as written', () => {
    const values = ['10.0.0.1', '10.0.0.1', undefined, 'Größe', '東京 🔥', '', 'x'.repeat(70_000), undefined];
    expect(sealedStrings(values)).toEqual(values);
  });

  test('lone surrogates become U+FFFD per value, even when two would pair up across rows', () => {
    const values = ['left \ud83d', '\ude00 right', '\ud800'];
    expect(sealedStrings(values)).toEqual(values.map((v) => Buffer.from(v, 'utf8').toString('utf8')));
    expect(sealedStrings(values)[0]).toBe('left \ufffd');
  });

  test('a full batch of rows', () => {
    const values = Array.from({ length: BATCH_ROWS }, (_, i) => (i % 7 === 0 ? undefined : `v${i % 13}`));
    expect(sealedStrings(values)).toEqual(values);
  });
});
