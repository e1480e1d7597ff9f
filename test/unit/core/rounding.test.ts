import { applyRounding, roundTo4 } from '../../../lambdas/core/rounding';

describe('roundTo4', () => {
  it('removes float noise', () => {
    expect(roundTo4(10.000000000000002)).toBe(10);
    expect(roundTo4(0.1 + 0.2)).toBe(0.3); // 0.30000000000000004
    expect(roundTo4(3.0000000001)).toBe(3);
  });

  it('rounds the 5th decimal half away from zero, even when the double sits just below the half', () => {
    // 1.00005 is stored as 1.0000499999999999…; the intended decimal value is exactly half.
    expect(roundTo4(1.00005)).toBe(1.0001);
    expect(roundTo4(-1.00005)).toBe(-1.0001);
    expect(roundTo4(2.12344)).toBe(2.1234);
    expect(roundTo4(2.12346)).toBe(2.1235);
  });

  it('never answers negative zero', () => {
    expect(Object.is(roundTo4(-0.00001), 0)).toBe(true);
    expect(Object.is(roundTo4(-0), 0)).toBe(true);
  });

  it('leaves huge values alone (no 4th decimal left to round)', () => {
    expect(roundTo4(123456789012.5)).toBe(123456789012.5);
  });
});

describe('applyRounding', () => {
  it.each([
    // value, none, up, down, nearest
    [2.5, 2.5, 3, 2, 3],
    [-2.5, -2.5, -2, -3, -3], // nearest: half away from zero
    [2.4999, 2.4999, 3, 2, 2],
    [2.50001, 2.5, 3, 2, 3], // cut to 4 decimals first
    [7, 7, 7, 7, 7],
    [0, 0, 0, 0, 0],
    [0.0001, 0.0001, 1, 0, 0],
    [-0.4, -0.4, 0, -1, 0],
  ])('rounds %d as none=%d up=%d down=%d nearest=%d', (value, none, up, down, nearest) => {
    expect(applyRounding(value, 'none')).toBe(none);
    expect(applyRounding(value, 'up')).toBe(up);
    expect(applyRounding(value, 'down')).toBe(down);
    expect(applyRounding(value, 'nearest')).toBe(nearest);
  });

  it('does not let float noise push `up` to the next integer', () => {
    expect(applyRounding(3.0000000001, 'up')).toBe(3);
    expect(applyRounding(0.1 * 3 * 10, 'up')).toBe(3); // 3.0000000000000004
    expect(applyRounding(2.9999999999, 'down')).toBe(3);
  });

  it('answers 0, not -0, for small negatives rounded toward zero', () => {
    expect(Object.is(applyRounding(-0.4, 'up'), 0)).toBe(true);
    expect(Object.is(applyRounding(-0.4, 'nearest'), 0)).toBe(true);
  });

  it('rejects an unknown policy', () => {
    expect(() => applyRounding(1, 'banker' as never)).toThrow(/unknown rounding policy/);
  });
});
