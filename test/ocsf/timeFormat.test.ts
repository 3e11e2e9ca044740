import { parseIso8601, timeParser } from '../../ocsf/timeFormat';

describe('ISO 8601 times', () => {
  const cases: [string, number | undefined][] = [
    ['2024-05-01T12:00:00.000000+0000', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:59:59.999Z', Date.UTC(2024, 4, 1, 12, 59, 59, 999)],
    ['2024-05-01T12:30:00+02:00', Date.UTC(2024, 4, 1, 10, 30)],
    ['2024-05-01 12:30', Date.UTC(2024, 4, 1, 12, 30)],
    ['2024-05-01T13:00:00.5-0130', Date.UTC(2024, 4, 1, 14, 30, 0, 500)],
    ['2024-05-01T12:61:00Z', undefined],
    ['2024-05-01T12:30:00X', undefined],
    ['2024-05-01T12', undefined],
    ['2024-13-01T12:00:00Z', undefined],
    ['2024-02-30T00:00:00Z', Date.UTC(2024, 1, 30)],
    ['0099-01-01T00:00:00Z', Date.UTC(99, 0, 1)],
  ];

  test.each(cases)('%s', (text, expected) => {
    expect(parseIso8601(text)).toBe(expected);
  });

  test('the iso8601 and automatic formats read the same times', () => {
    const iso = timeParser('iso8601');
    const auto = timeParser(undefined);
    if ('error' in iso || 'error' in auto) throw new Error('no parser');
    for (const [text, expected] of cases) {
      expect(iso.parse(text)).toBe(expected);
      expect(auto.parse(text)).toBe(expected);
    }
    expect(auto.parse(1714564800)).toBe(1714564800_000);
  });
});
