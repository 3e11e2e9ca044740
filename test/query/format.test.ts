import { formatResult } from '../../query/format';
import type { QueryResult } from '../../query/localLake';

const result: QueryResult = {
  columns: [
    { name: 'api_operation', type: 'VARCHAR' },
    { name: 'denied_calls', type: 'BIGINT' },
    { name: 'error_message', type: 'VARCHAR' },
  ],
  rows: [
    { api_operation: 'PutBucketPolicy', denied_calls: 12, error_message: 'User: bob, is "not" authorized' },
    { api_operation: 'RunInstances', denied_calls: 3, error_message: null },
  ],
};

describe('query output', () => {
  it('prints an aligned table with numbers on the right, NULL spelled out and the row count', () => {
    expect(formatResult(result, 'table')).toBe(
      [
        'api_operation    denied_calls  error_message',
        '---------------  ------------  ------------------------------',
        'PutBucketPolicy            12  User: bob, is "not" authorized',
        'RunInstances                3  NULL',
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  it('prints a header and no rows when nothing matched', () => {
    expect(formatResult({ columns: result.columns, rows: [] }, 'table')).toBe(
      ['api_operation  denied_calls  error_message', '-------------  ------------  -------------', '(0 rows)', ''].join('\n'),
    );
    expect(formatResult({ columns: result.columns, rows: [] }, 'csv')).toBe('api_operation,denied_calls,error_message\r\n');
    expect(formatResult({ columns: result.columns, rows: [] }, 'json')).toBe('[]\n');
  });

  it('prints RFC 4180 CSV with NULL as an empty field', () => {
    expect(formatResult(result, 'csv')).toBe(
      'api_operation,denied_calls,error_message\r\nPutBucketPolicy,12,"User: bob, is ""not"" authorized"\r\nRunInstances,3,\r\n',
    );
  });

  it('prints JSON rows with typed values', () => {
    expect(JSON.parse(formatResult(result, 'json'))).toEqual(result.rows);
  });
});
