// Every bad-input case gives its own error code, naming the file and, where there is
// one, the 1-based line of the FILE and the field; nothing is half-read.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFacts, runPipeline, sniffChain } from '../../electron/engine/pipeline/index.ts';
import { writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { readFileSync } from 'node:fs';
import pl from 'nodejs-polars';
import {
  cboeCsvText,
  cboeJsonText,
  makeChain,
  rng,
  writeBadFiles,
  writeLongParquet,
} from '../fixtures/option-chains.ts';
import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from '../../electron/engine/pipeline/utf8.ts';
import { longestEcho } from './content-echo.ts';
import { conventions, tempDir } from './helpers.ts';

const dir = tempDir('gex-bad-');
const bad = writeBadFiles(dir);

async function failure(file: string) {
  const r = await runPipeline({
    file,
    dataDir: join(dir, 'out'),
    snapshotId: 'x',
    conventions: conventions(),
  });
  if (r.ok) throw new Error(`${file} was accepted`);
  return r.error;
}

describe('bad input', () => {
  for (const [name, expected] of Object.entries(bad)) {
    it(`${name}: ${expected.code}${expected.line ? ` at line ${expected.line}` : ''}`, async () => {
      const e = await failure(expected.path);
      expect(e.code).toBe(expected.code);
      expect(e.file).toBe(expected.path);
      expect(e.message).toContain(expected.path);
      if (expected.line !== undefined) expect(e.line).toBe(expected.line);
      if (expected.field !== undefined) expect(e.field).toBe(expected.field);
    });
  }

  it('a spreadsheet or a web page saved instead of the chain says what to do: save the sheet as CSV, download the CSV; a zip, unpack it', async () => {
    // Stored (uncompressed) entries: the local headers a zip writer puts first.
    const zipOf = (entries: [string, string][]) =>
      Buffer.concat(
        entries.flatMap(([name, text]) => {
          const data = Buffer.from(text);
          const h = Buffer.alloc(30);
          h.writeUInt32LE(0x04034b50, 0);
          h.writeUInt16LE(20, 4);
          h.writeUInt32LE(crc32(data), 14);
          h.writeUInt32LE(data.length, 18);
          h.writeUInt32LE(data.length, 22);
          h.writeUInt16LE(Buffer.byteLength(name), 26);
          return [h, Buffer.from(name), data];
        }),
      );
    const cases: [string, Buffer, string][] = [
      [
        'book.xlsx',
        zipOf([
          ['[Content_Types].xml', '<Types/>'],
          ['_rels/.rels', '<Relationships/>'],
          ['xl/workbook.xml', '<workbook/>'],
        ]),
        'is an Excel workbook (xlsx), not an option chain: save the sheet as "CSV UTF-8"',
      ],
      [
        'book.ods',
        zipOf([
          ['mimetype', 'application/vnd.oasis.opendocument.spreadsheet'],
          ['content.xml', '<office/>'],
        ]),
        'is an OpenDocument spreadsheet (ods), not an option chain: save the sheet as "CSV UTF-8"',
      ],
      [
        'book.xls',
        Buffer.concat([
          Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
          Buffer.alloc(504),
        ]),
        'is an Excel workbook (xls) or another Office file',
      ],
      [
        'chains.zip',
        zipOf([['spx.csv', 'underlying,strike\n']]),
        'is a zip archive, not an option chain: unpack it first',
      ],
    ];
    for (const [name, bytes, says] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const e = await failure(file);
      expect(e.code, name).toBe('BINARY_FILE');
      expect(e.message, name).toContain(`${file} ${says}`);
    }
    // The web page, saved instead of the file its button downloads.
    const page = join(dir, 'spx.csv.html');
    writeFileSync(
      page,
      '\uFEFF\n<!DOCTYPE html>\n<html lang="en"><head><title>SPX</title></head></html>',
    );
    expect(await failure(page)).toMatchObject({
      code: 'UNKNOWN_FORMAT',
      message: expect.stringContaining(`${page} is a web page (HTML), not an option chain`),
    });
  });

  it('a UTF-16 or UTF-32 file is named by its encoding, and told how to save its format as UTF-8', async () => {
    const chain = makeChain({ seed: 9, expiries: 1, strikesPerExpiry: 4 });
    const csv = cboeCsvText(chain);
    const json = cboeJsonText(chain);
    /** `text` in UTF-16 or UTF-32, little- or big-endian, with or without a BOM. */
    const encoded = (text: string, bits: 16 | 32, le: boolean, bom = true): Buffer => {
      const units = [...((bom ? '\uFEFF' : '') + text)].map((c) => c.codePointAt(0)!);
      const out = Buffer.alloc(units.length * (bits / 8));
      units.forEach((u, i) => {
        if (bits === 16) out[le ? 'writeUInt16LE' : 'writeUInt16BE'](u, i * 2);
        else out[le ? 'writeUInt32LE' : 'writeUInt32BE'](u, i * 4);
      });
      return out;
    };
    const CSV_ADVICE = 'GEX Desk reads UTF-8 (save it as "CSV UTF-8")';
    const JSON_ADVICE = 'GEX Desk reads UTF-8 (save it with the encoding UTF-8)';
    const cases: [string, Buffer, string][] = [
      ['u16le.csv', encoded(csv, 16, true), `is UTF-16 LE text; ${CSV_ADVICE}`],
      ['u16be.csv', encoded(csv, 16, false), `is UTF-16 BE text; ${CSV_ADVICE}`],
      ['u16le-nobom.csv', encoded(csv, 16, true, false), `is UTF-16 LE text; ${CSV_ADVICE}`],
      ['u16le.json', encoded(json, 16, true), `is UTF-16 LE JSON; ${JSON_ADVICE}`],
      ['u16be-nobom.json', encoded(json, 16, false, false), `is UTF-16 BE JSON; ${JSON_ADVICE}`],
      ['u32le.csv', encoded(csv, 32, true), `is UTF-32 LE text; ${CSV_ADVICE}`],
      ['u32be.csv', encoded(csv, 32, false), `is UTF-32 BE text; ${CSV_ADVICE}`],
      ['u32le-nobom.csv', encoded(csv, 32, true, false), `is UTF-32 LE text; ${CSV_ADVICE}`],
      ['u32le.json', encoded(json, 32, true), `is UTF-32 LE JSON; ${JSON_ADVICE}`],
      ['u32be-nobom.json', encoded(json, 32, false, false), `is UTF-32 BE JSON; ${JSON_ADVICE}`],
    ];
    for (const [name, bytes, says] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const e = await failure(file);
      expect(e, name).toEqual({ code: 'BINARY_FILE', message: `${file} ${says}`, file });
    }
  });

  it('a Latin-1 or Windows-1252 file is refused at the line of its first byte that is not UTF-8, never read as U+FFFD', async () => {
    const H = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv';
    const R = '2024-01-08T10:30:00-05:00,4763.54,2024-01-19,4765';
    const latin1 = (s: string) => Buffer.from(s, 'latin1');
    const CSV_ADVICE = 'GEX Desk reads UTF-8: save it as "CSV UTF-8"';
    const csvLines = cboeCsvText(makeChain({ seed: 9, expiries: 8, strikesPerExpiry: 300 })).split(
      '\n',
    );
    expect(csvLines.join('\n').length).toBeGreaterThan(100_000);
    const deep = csvLines.length - 5;
    const withByte = (at: number, eol: string) =>
      Buffer.concat([
        Buffer.from(csvLines.slice(0, at - 1).join(eol) + eol),
        latin1(csvLines[at - 1]!.replace(/^(\w+)/, '$1\u00e9')),
        Buffer.from(eol + csvLines.slice(at).join(eol)),
      ]);
    const json = cboeJsonText(makeChain({ seed: 10, expiries: 1, strikesPerExpiry: 4 }));
    const cases: [string, Buffer, number, string][] = [
      ['dax.csv', latin1(`${H},note\nDAX\u00c9,${R},C,10,1,0.13,x\n`), 2, '0xC9'],
      [
        'gamma-dash.csv',
        latin1(`${H},gamma\nSPX,${R},C,10,1,0.13,0.1\nSPX,${R},P,10,1,0.13,\x97\n`),
        3,
        '0x97',
      ],
      ['cboe-deep.csv', withByte(deep, '\n'), deep, '0xE9'],
      ['cboe-deep-cr.csv', withByte(deep, '\r'), deep, '0xE9'],
      ['cboe-deep-crlf.csv', withByte(deep, '\r\n'), deep, '0xE9'],
      ['cboe-head.csv', withByte(9, '\n'), 9, '0xE9'],
    ];
    for (const [name, bytes, line, byte] of cases) {
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const e = await failure(file);
      expect(e, name).toEqual({
        code: 'BINARY_FILE',
        message: `${file}, line ${line} is not UTF-8 text (byte ${byte}): the file is perhaps Latin-1 or Windows-1252 ("ANSI"), as some spreadsheets save it; ${CSV_ADVICE}`,
        file,
        line,
      });
      // At arrival: refused alike when the byte is in the head; else the head's facts.
      const sniffed = await sniffChain(file, conventions());
      if (name === 'cboe-deep.csv') expect(sniffed.ok, name).toBe(true);
      else if (name !== 'cboe-deep-cr.csv' && name !== 'cboe-deep-crlf.csv')
        expect(sniffed.ok ? null : sniffed.error, name).toEqual(e);
    }
    const jsonFile = join(dir, 'latin1.json');
    writeFileSync(jsonFile, latin1(json.replace('"timestamp"', '"timestamp\u00e9", "timestamp"')));
    const je = await failure(jsonFile);
    expect(je).toMatchObject({ code: 'BINARY_FILE', line: 1 });
    expect(je.message).toContain('GEX Desk reads UTF-8: save it with the encoding UTF-8');

    // UTF-8 beyond ASCII reads, also a character cut by the end of the 64 KiB head.
    // The note cell of the first row ends in a euro sign at bytes 65,535–65,537.
    const note = `${H},note\nSPX,${R},C,10,1,0.13,`;
    const pad = 'x'.repeat(65535 - Buffer.byteLength(note));
    const utf8 = `${note}${pad}\u20ac\nSPX,${R},P,10,1,0.13,\u00e9\u2014\ud83d\ude00\n`;
    const cutAt = Buffer.from(utf8).indexOf(Buffer.from('\u20ac'));
    expect(cutAt).toBeLessThan(65536);
    expect(cutAt + 3).toBeGreaterThan(65536);
    const good = join(dir, 'utf8-beyond-ascii.csv');
    writeFileSync(good, utf8);
    const sniffed = await sniffChain(good, conventions());
    expect(sniffed.ok ? sniffed.value : sniffed.error).toMatchObject({ format: 'long-csv' });
    const r = await runPipeline({
      file: good,
      dataDir: join(dir, 'out'),
      snapshotId: 'u',
      conventions: conventions(),
    });
    expect(r.ok ? r.value.snapshot.contracts : r.error).toBe(2);

    // Parquet's text is UTF-8: a column that is not is named.
    const parquet = join(dir, 'latin1.parquet');
    pl.DataFrame({
      underlying: ['DAX\u00c9', 'DAX\u00c9'],
      as_of: [R.split(',')[0]!, R.split(',')[0]!],
      spot: [16000, 16000],
      expiry: ['2024-01-19', '2024-01-19'],
      strike: [16000, 16100],
      option_type: ['C', 'P'],
      open_interest: [10, 10],
      volume: [1, 1],
      iv: [0.13, 0.13],
    }).writeParquet(parquet, { compression: 'uncompressed' });
    const pq = readFileSync(parquet);
    for (
      let i = pq.indexOf(Buffer.from('\u00c9'));
      i >= 0;
      i = pq.indexOf(Buffer.from('\u00c9'), i)
    )
      pq.set([0xc9, 0x20], i);
    writeFileSync(parquet, pq);
    const pe = await failure(parquet);
    expect(pe).toMatchObject({ code: 'BAD_SHAPE', field: 'underlying' });
    expect(pe.message).toContain('the Parquet column "underlying" holds text that is not UTF-8');
  });

  it('the first byte that is not UTF-8 is found where the native validator fails, and only there', () => {
    const random = rng(7);
    const pool = [
      0x41, 0x0a, 0x0d, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4,
      0xf5, 0xff,
    ];
    const fatal = new TextDecoder('utf-8', { fatal: true });
    for (let k = 0; k < 20_000; k++) {
      const b = Buffer.from(
        Array.from(
          { length: 1 + Math.floor(random() * 6) },
          () => pool[Math.floor(random() * pool.length)]!,
        ),
      );
      const at = firstInvalidUtf8(b);
      expect(at === -1, b.toString('hex')).toBe(isUtf8(b));
      if (at >= 0) {
        expect(() => fatal.decode(b.subarray(0, at)), b.toString('hex')).not.toThrow();
        expect(() => fatal.decode(b.subarray(0, at + 4)), b.toString('hex')).toThrow();
      }
    }
  });

  it('readFacts reports the same errors', async () => {
    const r = await readFacts(bad.truncated!.path, conventions());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'TRUNCATED', line: 7 });
  });

  it('a bad value deep in a large CBOE CSV is reported at its own line of the file', async () => {
    const lines = cboeCsvText(makeChain({ seed: 3, expiries: 10, strikesPerExpiry: 50 })).split(
      '\n',
    );
    // Line 300 of the file = lines[299]; its put Gamma is column 21 (1-based) → index 20.
    const cells = lines[299]!.split(',');
    cells[20] = '0.0x1';
    lines[299] = cells.join(',');
    const file = join(dir, 'deep.csv');
    writeFileSync(file, lines.join('\n'));
    const e = await failure(file);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 300, field: 'Puts Gamma' });
    expect(e.message).toContain('0.0x1');
  });

  it('a row with the wrong number of fields (not at the end) is BAD_VALUE at its line', async () => {
    const lines = cboeCsvText(makeChain({ seed: 4, expiries: 2, strikesPerExpiry: 10 })).split(
      '\n',
    );
    lines[9] = lines[9]!.split(',').slice(0, 10).join(',');
    const file = join(dir, 'short-row.csv');
    writeFileSync(file, lines.join('\n'));
    expect(await failure(file)).toMatchObject({ code: 'BAD_VALUE', line: 10 });
  });

  it('a file cut inside a quoted cell is TRUNCATED', async () => {
    const text = cboeCsvText(makeChain({ seed: 5, expiries: 2, strikesPerExpiry: 10 }), {
      quotedThousands: true,
    });
    const cut = text.lastIndexOf('"', text.length - 5);
    const file = join(dir, 'cut-quote.csv');
    writeFileSync(file, text.slice(0, cut + 2));
    expect((await failure(file)).code).toBe('TRUNCATED');
  });

  it('a CBOE file that ends before its date line is TRUNCATED at a line it has, not a bad date on one it lacks', async () => {
    const text = cboeCsvText(makeChain({ seed: 5, expiries: 1, strikesPerExpiry: 4 }));
    const [first, last, date] = text.split('\n') as [string, string, string];
    // As `head -2` cuts it: the empty first line and the "Last:" line, each with its ending.
    const two = join(dir, 'two-lines.csv');
    writeFileSync(two, `${first}\n${last}\n`);
    const e2 = await failure(two);
    expect(e2).toMatchObject({ code: 'TRUNCATED', line: 2, field: 'Date' });
    expect(e2.message).toBe(
      `${two} has 2 lines and ends before its date line (line 3, like "Date: January 7, 2024 at 10:52 AM EST", then the header and the option rows): it was cut short`,
    );
    // Only the "Last:" line (the empty first line removed), with or without its ending: the
    // inbox's note names line 1 (reasonNote writes the error's line).
    for (const end of ['\n', '']) {
      const one = join(dir, `one-line${end ? '-lf' : ''}.csv`);
      writeFileSync(one, `${last}${end}`);
      const e1 = await failure(one);
      expect(e1).toMatchObject({ code: 'TRUNCATED', line: 1, field: 'Date' });
      expect(e1.message).toContain(`${one} has 1 line and ends before its date line (line 2,`);
    }
    // Cut inside the date line (`head -c`): that line, the file ending inside it.
    const inside = join(dir, 'cut-date.csv');
    writeFileSync(inside, `${first}\n${last}\n${date.slice(0, 12)}`);
    const e3 = await failure(inside);
    expect(e3).toMatchObject({ code: 'TRUNCATED', line: 3, field: 'Date' });
    expect(e3.message).toContain(`line 3, field "Date": the file ends inside its date line (`);
    // A date line there but not a date is still BAD_VALUE on it.
    const notDate = join(dir, 'not-date.csv');
    writeFileSync(notDate, `${first}\n${last}\nDate: soon\n`);
    expect(await failure(notDate)).toMatchObject({ code: 'BAD_VALUE', line: 3, field: 'Date' });
  });

  it('a negative open interest is BAD_VALUE, a zero strike too', async () => {
    const lines = cboeCsvText(makeChain({ seed: 6, expiries: 1, strikesPerExpiry: 4 })).split('\n');
    const a = lines[5]!.split(',');
    a[21] = '-5';
    const file = join(dir, 'negative.csv');
    writeFileSync(file, [...lines.slice(0, 5), a.join(','), ...lines.slice(6)].join('\n'));
    expect(await failure(file)).toMatchObject({
      code: 'BAD_VALUE',
      line: 6,
      field: 'Puts Open Interest',
    });
    const b = lines[6]!.split(',');
    b[11] = '0';
    const file2 = join(dir, 'zero-strike.csv');
    writeFileSync(file2, [...lines.slice(0, 6), b.join(','), ...lines.slice(7)].join('\n'));
    expect(await failure(file2)).toMatchObject({ code: 'BAD_VALUE', line: 7, field: 'Strike' });
  });

  it('a CBOE header without Open Interest is BAD_HEADER at line 4', async () => {
    const lines = cboeCsvText(makeChain({ seed: 6, expiries: 1, strikesPerExpiry: 4 })).split('\n');
    lines[3] = lines[3]!.replace(/Open Interest/g, 'Something');
    const file = join(dir, 'no-oi.csv');
    writeFileSync(file, lines.join('\n'));
    expect(await failure(file)).toMatchObject({ code: 'BAD_HEADER', line: 4 });
  });

  it('a long-format header without strike is BAD_HEADER naming the column', async () => {
    const file = join(dir, 'long-no-strike.csv');
    writeFileSync(
      file,
      'underlying,as_of,spot,expiry,option_type,open_interest,volume,iv\nSPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,C,1,1,0.2\n',
    );
    // Most of the required columns by their names: the long format, its strike column named missing.
    expect(await failure(file)).toMatchObject({
      code: 'BAD_HEADER',
      field: 'strike',
      line: 1,
      message: `${file}: no "strike" column in the header (see docs/formats.md)`,
    });
    const file2 = join(dir, 'long-no-volume.csv');
    writeFileSync(
      file2,
      'underlying,as_of,spot,expiry,strike,option_type,open_interest,iv\nSPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,C,1,0.2\n',
    );
    const e = await failure(file2);
    expect(e).toMatchObject({ code: 'BAD_HEADER', field: 'volume', line: 1 });
    expect(e.message).toBe(`${file2}: no "volume" column in the header (see docs/formats.md)`);
    // A Parquet file has columns, not a header line: said so.
    const parquet = join(dir, 'long-no-volume.parquet');
    writeLongParquet(parquet, { seed: 63, expiries: 1, strikesPerExpiry: 3 });
    const noVolume = join(dir, 'long-no-volume-2.parquet');
    pl.readParquet(parquet).drop('volume').writeParquet(noVolume);
    expect(await failure(noVolume)).toMatchObject({
      code: 'BAD_HEADER',
      field: 'volume',
      message: `${noVolume}: no "volume" column in the file (see docs/formats.md)`,
    });
  });

  it('a long-format header with a column misspelt or cut short names each column missing and the cell it may be', async () => {
    const row = 'ACME,2024-01-08T10:30:00-05:00,412.37,2024-01-19,380,C,516,261,0.18\n';
    const header = (h: string, name: string) => {
      const file = join(dir, name);
      writeFileSync(file, `\n${h}\n${row}`);
      return file;
    };
    // After a blank line: the header's own line.
    const strk = header(
      'underlying,as_of,spot,expiry,strk,option_type,open_interest,volume,iv',
      'long-strk.csv',
    );
    expect(await failure(strk)).toMatchObject({
      code: 'BAD_HEADER',
      field: 'strike',
      line: 2,
      message: `${strk}: no "strike" column in the header; "strk" is not a name GEX Desk reads: did you mean strike? (see docs/formats.md)`,
    });
    // Two missing, one of them only cut short (`und`), one misspelt with case and a transposition.
    const two = header(
      'und,as_of,spot,expiry,Srtike,option_type,open_interest,volume,iv',
      'long-und-srtike.csv',
    );
    expect(await failure(two)).toMatchObject({
      code: 'BAD_HEADER',
      field: 'underlying',
      line: 2,
      message: `${two}: no "underlying" column and no "strike" column in the header; "und" is not a name GEX Desk reads: did you mean underlying? "Srtike" is not a name GEX Desk reads: did you mean strike? (see docs/formats.md)`,
    });
    // A cell far from every name is not guessed at; each missing column is still named.
    const three = header(
      'name,as_of,spot,expiry,k,option_type,open_interest,vlm,iv',
      'long-three-missing.csv',
    );
    expect(await failure(three)).toMatchObject({
      code: 'BAD_HEADER',
      field: 'underlying',
      message: `${three}: no "underlying" column, no "strike" column and no "volume" column in the header (see docs/formats.md)`,
    });
    // A cell with an invisible character (a zero-width space copied from a web page, a
    // soft hyphen) is echoed with it escaped, as the rules messages do: raw, it read
    // `"strike" is not a name GEX Desk reads: did you mean strike?`.
    const zw = header(
      'underlying,as_of,spot,expiry,strike\u200b,option_type,open_interest,volume,iv',
      'long-zero-width.csv',
    );
    expect(await failure(zw)).toMatchObject({
      code: 'BAD_HEADER',
      field: 'strike',
      message: `${zw}: no "strike" column in the header; "strike\\u200b" is not a name GEX Desk reads: did you mean strike? (see docs/formats.md)`,
    });
    const shy = header(
      'underlying,as_of,spot,expiry,str\u00adike,option_type,open_interest,volume,iv',
      'long-soft-hyphen.csv',
    );
    expect((await failure(shy)).message).toContain('"str\\xadike" is not a name GEX Desk reads');
    // The cheap facts at arrival take it as the long format (no facts: the run names what is wrong).
    const sniffed = await sniffChain(strk, conventions());
    expect(sniffed.ok ? sniffed.value.format : sniffed.error.code).toBe('long-csv');
    // A table with few of the format's columns, or none of an option's own, is no long file.
    for (const [name, h] of [
      ['trades.csv', 'timestamp,symbol,price,volume,type'],
      ['quotes.csv', 'symbol,timestamp,spot,bid,ask,volume,type,last'],
      ['few.csv', 'expiry,strk,option_type,open_interest,iv,gamma'],
    ]) {
      const file = header(h!, name!);
      expect((await failure(file)).code, name).toBe('UNKNOWN_FORMAT');
    }
  });

  it("CBOE's older quotedata.dat layout is refused as such, with what to download instead", async () => {
    const greeks = [
      'SPX (S&P 500 INDEX),2736.2700,-11.7400,',
      'Mar 29 2018 @ 16:24 ET,Bid,2736.27,Ask,2736.27,Size,1x1,Vol,0,',
      'Calls,Last Sale,Net,Bid,Ask,Vol,Open Int,IV,Delta,Gamma,Puts,Last Sale,Net,Bid,Ask,Vol,Open Int,IV,Delta,Gamma,',
      '18 Apr 2100.00 (SPX1820D2100),0.0,0.0,633.30,638.10,0,0,0.3,0.99,0.0001,18 Apr 2100.00 (SPX1820P2100),0.05,0.0,0.0,0.05,0,100,0.4,-0.01,0.0001,',
      '',
    ];
    // Its earlier form, without the greeks, as Excel saves it (BOM, CRLF).
    const plain = [
      'SPX (S&P 500 INDEX),2736.2700,-11.7400,',
      'Mar 29 2018 @ 16:24 ET,Bid,2736.27,Ask,2736.27,Size,1x1,Vol,0,',
      'Calls,Last Sale,Net,Bid,Ask,Vol,Open Int,Puts,Last Sale,Net,Bid,Ask,Vol,Open Int,',
      '18 Apr 2100.00 (SPX1820D2100),0.0,0.0,633.30,638.10,0,0,18 Apr 2100.00 (SPX1820P2100),0.05,0.0,0.0,0.05,0,100,',
      '',
    ];
    for (const [name, text] of [
      ['quotedata.dat', greeks.join('\n')],
      ['quotedata-excel.csv', `\uFEFF${plain.join('\r\n')}`],
    ] as const) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const e = await failure(file);
      expect(e, name).toMatchObject({ code: 'UNKNOWN_FORMAT', file, line: 3 });
      expect(e.message, name).toBe(
        `${file} is an older CBOE quote download layout (quotedata.dat, used until about 2019: a "Calls,Last Sale,Net,…,Puts,…" header on line 3, each contract written as "18 Apr 2100.00 (SPX1820D2100)"), which GEX Desk does not read; download the current CSV from CBOE's delayed quotes page (its "Download CSV" button; see docs/formats.md)`,
      );
      // The cheap facts at arrival refuse it alike.
      const sniffed = await sniffChain(file, conventions());
      expect(sniffed.ok ? null : sniffed.error.message, name).toBe(e.message);
    }
  });

  it('an underlying holding a control, format or filler character is refused at its line and field', async () => {
    const head = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv';
    const row = (u: string, type: string) =>
      `${u},2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,${type},1,1,0.2`;
    const file = join(dir, 'reversed-underlying.csv');
    writeFileSync(file, `${head}\n${row('A\u202eB', 'C')}\n${row('A\u202eB', 'P')}\n`);
    const e = await failure(file);
    expect(e).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'underlying' });
    expect(e.message).toContain('holds \\u202e, a control, format or invisible filler character');
    const later = join(dir, 'zero-width-underlying.csv');
    writeFileSync(later, `${head}\n${row('SPX', 'C')}\n${row('SPX\u200b', 'P')}\n`);
    const e2 = await failure(later);
    expect(e2).toMatchObject({ code: 'BAD_VALUE', line: 3, field: 'underlying' });
    expect(e2.message).toContain('holds \\u200b, a control, format or invisible filler character');
    // Drawn as nothing, not a format character: a combining grapheme joiner, a Hangul filler.
    for (const [u, c] of [
      ['SP\u034fX', '\\u034f'],
      ['SPX\u3164', '\\u3164'],
    ]) {
      const filler = join(dir, 'filler-underlying.csv');
      writeFileSync(filler, `${head}\n${row(u!, 'C')}\n${row(u!, 'P')}\n`);
      const e3 = await failure(filler);
      expect(e3).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'underlying' });
      expect(e3.message).toContain(`holds ${c}, a control, format or invisible filler character`);
    }
  });

  it('a long file mixing two underlyings or two timestamps is rejected at the first differing line', async () => {
    const head = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv';
    const file = join(dir, 'two-underlyings.csv');
    writeFileSync(
      file,
      `${head}\nSPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,C,1,1,0.2\nNDX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,P,1,1,0.2\n`,
    );
    expect(await failure(file)).toMatchObject({ code: 'BAD_VALUE', line: 3, field: 'underlying' });
    const file2 = join(dir, 'two-times.csv');
    writeFileSync(
      file2,
      `${head}\nSPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,C,1,1,0.2\nSPX,2024-01-08T11:00:00-05:00,4700,2024-01-19,4700,P,1,1,0.2\n`,
    );
    expect(await failure(file2)).toMatchObject({ code: 'BAD_VALUE', line: 3, field: 'as_of' });
    const file3 = join(dir, 'bad-type.csv');
    writeFileSync(file3, `${head}\nSPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,X,1,1,0.2\n`);
    expect(await failure(file3)).toMatchObject({
      code: 'BAD_VALUE',
      line: 2,
      field: 'option_type',
    });
  });

  it('JSON that is not valid JSON (not cut short) is BAD_SHAPE with its line, never the text', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(
      file,
      '{\n "timestamp": "2025-09-06 23:24:50",\n "data": {"options": [} ,\n "x": 1\n}\n',
    );
    expect(await failure(file)).toMatchObject({ code: 'BAD_SHAPE', line: 3 });
    // Near the end, V8 quotes the file around the token, up to and across its last line break.
    writeFileSync(
      file,
      '{"timestamp": "2025-09-06 23:24:50",\n"secret": "s3cr3t-value", "data": {"options": [,]}}\n',
    );
    const end = await failure(file);
    expect(end).toMatchObject({ code: 'BAD_SHAPE', line: 2, field: '$.data.options[0]' });
    // The column and the path of the value where it stopped (a minified chain is one line).
    expect(end.message).toBe(
      `${file}, line 2, column 48 ($.data.options[0]): not valid JSON (Unexpected token ',')`,
    );
  });

  it('a JSON value of the wrong type is BAD_SHAPE naming its path and showing the value once quoted', async () => {
    const file = join(dir, 'wrong-types.json');
    for (const [value, shown] of [
      ['abc', 'not "abc"'],
      [true, 'not true'],
      [{ n: 1 }, 'not {"n":1}'],
    ] as const) {
      writeFileSync(
        file,
        JSON.stringify({
          timestamp: '2025-09-06 23:24:50',
          data: {
            current_price: 749.75,
            options: [{ option: 'META250912C00300000', open_interest: value, volume: 1 }],
          },
        }),
      );
      const e = await failure(file);
      expect(e).toMatchObject({ code: 'BAD_SHAPE', field: '$.data.options[0].open_interest' });
      expect(e.message).toContain(`$.data.options[0].open_interest must be a number, ${shown}`);
    }
  });

  it('an empty options array is NO_ROWS', async () => {
    const file = join(dir, 'no-options.json');
    writeFileSync(
      file,
      JSON.stringify({ timestamp: '2025-09-06 23:24:50', data: { options: [], current_price: 1 } }),
    );
    expect((await failure(file)).code).toBe('NO_ROWS');
  });

  it('a Parquet file cut short is TRUNCATED; a bad Parquet value names the row and column', async () => {
    const file = join(dir, 'long.parquet');
    writeLongParquet(file, { seed: 61, expiries: 2, strikesPerExpiry: 5 });
    const bytes = readFileSync(file);
    const cut = join(dir, 'cut.parquet');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expect((await failure(cut)).code).toBe('TRUNCATED');
    const df = pl.readParquet(file);
    const oi = df.getColumn('open_interest').toArray() as number[];
    oi[6] = -1;
    const negative = join(dir, 'negative.parquet');
    df.withColumns(pl.Series('open_interest', oi)).writeParquet(negative);
    expect(await failure(negative)).toMatchObject({
      code: 'BAD_VALUE',
      line: 7,
      field: 'open_interest',
    });
  });

  it('bad conventions are a VALIDATION error naming the field', async () => {
    const file = bad.badValue!.path;
    const r = await runPipeline({
      file,
      dataDir: join(dir, 'out'),
      snapshotId: 'c',
      conventions: { ...conventions(), exchange_time_zone: 'Mars/Base' },
    });
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'VALIDATION',
      field: 'conventions.exchange_time_zone',
    });
    const f = await readFacts(file, { ...conventions(), profile_points: 1 });
    expect(f.ok ? null : f.error).toMatchObject({
      code: 'VALIDATION',
      field: 'conventions.profile_points',
    });
  });

  describe('messages quote at most 40 characters of the file', () => {
    const secret = 'confidential-position-of-the-desk-'.repeat(30);
    const json = JSON.parse(cboeJsonTextSmall());
    const cases: [string, string][] = [
      [
        'JSON not valid',
        `{"timestamp": "2025-09-06 23:24:50", "data": {"note": "${secret}", "options": [${secret}]}}`,
      ],
      ['JSON short and not valid', `{"a": "${secret.slice(0, 30)}" x}`],
      ['JSON timestamp', JSON.stringify({ ...json, timestamp: secret })],
      [
        'JSON option symbol',
        JSON.stringify({
          ...json,
          data: { ...json.data, options: [{ ...json.data.options[0], option: secret }] },
        }),
      ],
      [
        'JSON number',
        JSON.stringify({
          ...json,
          data: { ...json.data, options: [{ ...json.data.options[0], volume: secret }] },
        }),
      ],
      [
        'long CSV cell',
        `underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\nSPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,C,"${secret}",1,0.2\n`,
      ],
      [
        'long CSV second underlying',
        `underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\nSPX,2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,C,1,1,0.2\n${secret.slice(0, 30)},2024-01-08T10:00:00-05:00,4700,2024-01-19,4700,P,1,1,0.2\n`,
      ],
      [
        'CBOE preamble',
        cboeCsvText(makeChain({ seed: 6, expiries: 1, strikesPerExpiry: 4 })).replace(
          /Last: [^,]*/,
          `Last: ${secret}`,
        ),
      ],
    ];
    for (const [name, content] of cases) {
      it(name, async () => {
        const file = join(dir, `echo-${name.replace(/\W+/g, '-')}`);
        writeFileSync(file, content);
        const e = await failure(file);
        expect(longestEcho(e.message, content, file)).toBeLessThanOrEqual(40);
      });
    }

    it('Parquet: a long text value and a long column name', async () => {
      const file = join(dir, 'echo-source.parquet');
      writeLongParquet(file, { seed: 62, expiries: 1, strikesPerExpiry: 3 });
      const df = pl.readParquet(file);
      const types = df.getColumn('option_type').toArray() as string[];
      types[1] = secret;
      const out = join(dir, 'echo-text.parquet');
      df.withColumns(pl.Series('option_type', types)).writeParquet(out);
      const e = await failure(out);
      expect(e).toMatchObject({ code: 'BAD_VALUE', line: 2, field: 'option_type' });
      expect(longestEcho(e.message, secret, out)).toBeLessThanOrEqual(40);
      const oi = df.getColumn('open_interest').toArray() as number[];
      oi[0] = -1;
      const renamed = join(dir, 'echo-name.parquet');
      df.withColumns(pl.Series('open_interest', oi)).rename({ bid: secret }).writeParquet(renamed);
      const e2 = await failure(renamed);
      expect(e2).toMatchObject({ code: 'BAD_VALUE', field: 'open_interest' });
      expect(longestEcho(e2.message, secret, renamed)).toBeLessThanOrEqual(40);
    });
  });
});

function cboeJsonTextSmall(): string {
  return cboeJsonText(
    makeChain({ seed: 8, underlying: 'META', spot: 749.75, expiries: 1, strikesPerExpiry: 2 }),
  );
}
