/** Shared CSV helpers: formula-injection safety both ways, and reading records by line. */
import { describe, expect, it } from 'vitest';
import { checkRecordShape, csvSafe, csvUnsafe, decodeUtf8, readCsvRecords } from './csv.js';

describe('csvSafe and csvUnsafe', () => {
  it.each(['=1+1', '+44', '-5', '@SUM(A1)', '\tx', '\rx'])('makes %j safe and back', (text) => {
    expect(csvSafe(text)).toBe(`'${text}`);
    expect(csvUnsafe(csvSafe(text))).toBe(text);
  });
  it('leaves everything else alone', () => {
    expect(csvSafe('plain')).toBe('plain');
    expect(csvSafe(3)).toBe('3');
    expect(csvSafe(null)).toBe('');
    expect(csvUnsafe("'quoted")).toBe("'quoted");
  });
});

describe('readCsvRecords', () => {
  it('numbers records by the physical line they start on', () => {
    const { records, problems } = readCsvRecords('\uFEFFa,b\r\n\r\n"x\ny",z\r\n,,\r\nlast,one');
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['x\ny', 'z'] },
      { line: 6, fields: ['last', 'one'] },
    ]);
  });
  it('reports a broken line and reads on', () => {
    const { records, problems } = readCsvRecords('a,b\nx"y",z\nc,d');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(2);
    expect(records.map((r) => r.line)).toEqual([1, 3]);
  });
});

describe('decodeUtf8', () => {
  it('refuses text that is not UTF-8', () => {
    expect(decodeUtf8(Buffer.from('café'))).toBe('café');
    expect(decodeUtf8(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBeUndefined();
  });
});

describe('checkRecordShape', () => {
  const header = { width: 3, unnamed: [2] };

  it('accepts a record with one value a column and nothing under an unnamed column', () => {
    const problems: { line?: number; message: string }[] = [];
    expect(checkRecordShape({ line: 4, fields: ['a', 'b', ' '] }, header, problems)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('reports a wrong number of values by line, and nothing else on that line', () => {
    const problems: { line?: number; message: string }[] = [];
    expect(checkRecordShape({ line: 7, fields: ['a', 'b', 'c', 'd'] }, header, problems)).toBe(
      false,
    );
    expect(problems).toEqual([
      {
        line: 7,
        message:
          'This line has 4 values but the header row has 3 columns. Put any value that contains a comma in double quotes',
      },
    ]);
  });

  it('reports a value under an unnamed column by its number, and the line can still be read', () => {
    const problems: { line?: number; message: string }[] = [];
    expect(checkRecordShape({ line: 2, fields: ['a', 'b', 'x'] }, header, problems)).toBe(true);
    expect(problems).toEqual([
      {
        line: 2,
        message:
          'Column 3 has a value but no name in the header row. Name the column or remove the value',
      },
    ]);
  });
});
