import {
  editDistance,
  nameCloseness,
  nameWords,
  suggestCompanies,
} from '../../../../../lambdas/core/read/statements/suggest';

describe('nameWords', () => {
  it('lower-cases, drops punctuation and accents, reads & as and, and drops trailing legal suffixes', () => {
    expect(nameWords('Acme Dental, Inc.')).toEqual(['acme', 'dental']);
    expect(nameWords('  Müller & Söhne GmbH ')).toEqual(['muller', 'and', 'sohne']);
    expect(nameWords("O'Brien Legal Co. Ltd")).toEqual(['obrien', 'legal']);
    // A suffix word in the middle stays, and a name that is only a suffix keeps it.
    expect(nameWords('Ltd Logistics')).toEqual(['ltd', 'logistics']);
    expect(nameWords('Company')).toEqual(['company']);
  });
});

describe('editDistance', () => {
  it('counts single-letter edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('nameCloseness', () => {
  it('is 1 for names equal after normalisation, spaces ignored', () => {
    expect(nameCloseness('Acme Dental, Inc.', 'ACME DENTAL')).toBe(1);
    expect(nameCloseness('Acme Dental LLC', 'AcmeDental')).toBe(1);
  });

  it('scores word overlap: 2 shared of 3 distinct words is 2/3', () => {
    // "birch legal" vs "birch legal group": letters 1 − 5/15 = 0.667, overlap 2/3.
    expect(nameCloseness('Birch Legal', 'Birch Legal Group')).toBeCloseTo(2 / 3, 10);
  });

  it('scores letter similarity for a typo: one edit in 11 letters is 10/11', () => {
    // "cedarmotors" vs "cedarmotor": overlap 1/3 (below 0.5), letters 1 − 1/11.
    expect(nameCloseness('Cedar Motors', 'Cedar Motor')).toBeCloseTo(10 / 11, 10);
  });

  it('is 0 below both thresholds', () => {
    // One shared word of three (1/3) and letters far apart.
    expect(nameCloseness('Acme Dental', 'Acme Plumbing')).toBe(0);
    // Two shared of four distinct words (0.5), letters 1 − 6/20 = 0.7: two companies of a naming pattern.
    expect(nameCloseness('Harbor Motors Partners', 'Harbor Clinic Partners')).toBe(0);
    expect(nameCloseness('Oak Farm', 'Pine Legal')).toBe(0);
    expect(nameCloseness('', 'Acme')).toBe(0);
  });
});

describe('suggestCompanies', () => {
  const psa = ['Birch Legal Group', 'ACME DENTAL', 'Acme Dental Care', 'Acme Plumbing', 'Acme Dentl', 'Oak Farm'];

  it('answers at most three close names, closest first', () => {
    // ACME DENTAL 1; Acme Dentl: letters 1 − 1/10 = 0.9; Acme Dental Care: overlap 2/3, letters 1 − 4/14 ≈ 0.714.
    expect(suggestCompanies('Acme Dental, Inc.', psa)).toEqual(['ACME DENTAL', 'Acme Dentl', 'Acme Dental Care']);
    expect(suggestCompanies('Acme Dental, Inc.', psa, 1)).toEqual(['ACME DENTAL']);
  });

  it('breaks ties by name, lists a repeated name once, and answers [] when nothing is close', () => {
    expect(suggestCompanies('Acme', ['Acme Ltd', 'ACME', 'ACME', 'acme inc'])).toEqual([
      'ACME',
      'Acme Ltd',
      'acme inc',
    ]);
    expect(suggestCompanies('Zebra Works', psa)).toEqual([]);
    expect(suggestCompanies('Acme', [])).toEqual([]);
  });
});
