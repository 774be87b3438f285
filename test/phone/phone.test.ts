import { MAX_PHONE_VARIANTS, normalizePhone, phoneVariants, phonesEqual, readsOtherwiseAsInternational } from '../../common/phone';

describe('normalizePhone (M17: one canonical form)', () => {
  it.each([
    ['+380981234567', 'UA'],
    ['380981234567', 'UA'],
    ['0981234567', 'UA'],
    ['098 123 45 67', 'UA'],
    ['(098) 123-45-67', 'UA'],
    ['+38 (098) 123-45-67', 'UA'],
    ['+38-098-123-4567', 'UA'],
    ['00380981234567', 'UA'],
    ['+380981234567', 'US'],
  ])('M17: reads %s (default %s) as +380981234567', (raw, country) => {
    expect(normalizePhone(raw, country)).toBe('+380981234567');
  });

  it.each([
    ['(213) 373-4253', 'US', '+12133734253'],
    ['1-213-373-4253', 'US', '+12133734253'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['+44 (0)20 7946 0958', 'UA', '+442079460958'],
    ['030 1234567', 'DE', '+49301234567'],
    ['+49 30 1234567', 'UA', '+49301234567'],
  ])('M17: reads %s (default %s) as %s', (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toBe(e164);
  });

  it.each([
    ['48501234567', '+48501234567'],
    ['12025550123', '+12025550123'],
    ['4915112345678', '+4915112345678'],
    ['442079460958', '+442079460958'],
    ['48 501 234 567', '+48501234567'],
  ])('M17: reads a foreign number in digits-only form, %s (default UA), as %s', (raw, e164) => {
    expect(normalizePhone(raw, 'UA')).toBe(e164);
  });

  it.each([
    // Valid in the default country (Kyivstar's 098 without its trunk 0): that reading comes first, though
    // `+981234567` is a valid Iranian number too.
    ['981234567', 'UA', '+380981234567'],
    // Possible but not valid in the default country, and no number with a `+` either: read as before.
    ['2133734253', 'UA', '+3802133734253'],
  ])('M17: keeps the default-country reading of %s (default %s): %s', (raw, country, e164) => {
    expect(normalizePhone(raw, country)).toBe(e164);
  });

  it.each(['', 'anonymous', '101', 'maria@pbx.example.com', '12345', '1234567'])('M17: %j is not a phone number', (raw) => {
    expect(normalizePhone(raw, 'UA')).toBeNull();
  });

  it('M17: a call recorded before reads foreign digits in the default country only, and only such numbers read otherwise (workflows/patches.ts FOREIGN_DIGITS)', () => {
    expect(normalizePhone('48501234567', 'UA', 'default-country-only')).toBeNull();
    expect(readsOtherwiseAsInternational('48501234567', 'UA')).toBe(true);
    for (const raw of ['380981234567', '0981234567', '+48501234567', '981234567', '2133734253', 'anonymous']) {
      expect(readsOtherwiseAsInternational(raw, 'UA')).toBe(false);
    }
  });

  it('M17: an unknown default country still reads international numbers', () => {
    expect(normalizePhone('+380981234567', 'XX')).toBe('+380981234567');
  });
});

describe('phonesEqual', () => {
  it('M17: the same number typed locally and internationally is equal', () => {
    expect(phonesEqual('098 123 45 67', '+380981234567', 'UA')).toBe(true);
    expect(phonesEqual('(213) 373-4253', '+1 213 373 4253', 'US')).toBe(true);
  });

  it('M17: different numbers, or text that is not a number, are not equal', () => {
    expect(phonesEqual('098 123 45 67', '098 123 45 68', 'UA')).toBe(false);
    expect(phonesEqual('anonymous', 'anonymous', 'UA')).toBe(false);
  });
});

describe('phoneVariants (M17, O2 beyond: every stored format is searched)', () => {
  it('M17: a Ukrainian number covers international, digits-only, national with trunk prefix and formatted forms', () => {
    const variants = phoneVariants('+380981234567', 'UA');
    expect(variants.slice(0, 3)).toEqual(['+380981234567', '380981234567', '0981234567']);
    for (const expected of [
      '098 123 45 67',
      '098-123-45-67',
      '(098) 123-45-67',
      '098 123 4567',
      '+380 98 123 4567',
      '+380 98 123 45 67',
      '+38-098-123-4567', // SPEC O2's own example
      '+38 (098) 123-45-67',
      '00380981234567',
      // Mixed separators: a space after the code, dashes in the subscriber number.
      '+38 098 123-45-67',
      '+380 98 123-45-67',
      '098 123-45-67',
    ]) {
      expect(variants).toContain(expected);
    }
  });

  it('M17: every variant reads back as the same number', () => {
    for (const [e164, country] of [
      ['+380981234567', 'UA'],
      ['+12133734253', 'US'],
      ['+442079460958', 'GB'],
      ['+49301234567', 'DE'],
      ['+79123456789', 'RU'],
      ['+77012345678', 'KZ'],
      ['+375291234567', 'BY'],
    ]) {
      for (const variant of phoneVariants(e164, country)) expect([variant, normalizePhone(variant, country)]).toEqual([variant, e164]);
    }
  });

  it('M17: a US number covers (213) 373-4253 and +1 213 373 4253', () => {
    const variants = phoneVariants('+12133734253', 'US');
    expect(variants).toEqual(expect.arrayContaining(['+12133734253', '12133734253', '2133734253', '(213) 373-4253', '213-373-4253', '+1 213 373 4253', '1-213-373-4253']));
  });

  it('M17: a UK number covers 020 7946 0958 and +44 (0)20 7946 0958', () => {
    expect(phoneVariants('+442079460958', 'GB')).toEqual(
      expect.arrayContaining(['02079460958', '020 7946 0958', '+44 20 7946 0958', '+44 (0)20 7946 0958', '00442079460958']),
    );
  });

  it('M17: a German number covers 030 1234567 and +49 30 1234567', () => {
    expect(phoneVariants('+49301234567', 'DE')).toEqual(expect.arrayContaining(['0301234567', '030 1234567', '+49 30 1234567', '0049301234567']));
  });

  it.each([
    ['+79123456789', 'RU', ['8 (912) 345-67-89', '8 912 345-67-89', '8-912-345-67-89', '8 912 345 67 89', '+7 (912) 345-67-89']],
    ['+77012345678', 'KZ', ['8 (701) 234-56-78', '8 (701) 234 5678', '8 701 234 56 78', '+7 (701) 234-56-78', '+7 701 234 5678']],
    ['+375291234567', 'BY', ['8 (029) 123-45-67', '8 029 123-45-67', '+375 (29) 123-45-67']],
  ])('M17: where the trunk prefix is written apart (%s, %s), it stands before the bracketed area code', (e164, country, expected) => {
    const variants = phoneVariants(e164, country);
    expect(variants).toEqual(expect.arrayContaining(expected));
    // The prefix is no area code: never bracketed, never split into the subscriber number.
    expect(variants.filter((variant) => variant.includes('(8') || /^8 \d{5,}/.test(variant))).toEqual([]);
  });

  it('M17: a foreign number gets no national forms, which would denote a local subscriber', () => {
    const variants = phoneVariants('+442079460958', 'UA');
    expect(variants).toContain('+44 20 7946 0958');
    expect(variants).not.toContain('02079460958');
    expect(variants).not.toContain('020 7946 0958');
  });

  it('M17: the list is bounded for a COQL `in` clause, duplicate-free and deterministic', () => {
    for (const [e164, country] of [
      ['+380981234567', 'UA'],
      ['+12133734253', 'US'],
      ['+442079460958', 'GB'],
      ['+49301234567', 'DE'],
    ]) {
      const variants = phoneVariants(e164, country);
      expect(variants.length).toBeLessThanOrEqual(MAX_PHONE_VARIANTS);
      expect(new Set(variants).size).toBe(variants.length);
      expect(phoneVariants(e164, country)).toEqual(variants);
    }
  });

  it('M17: no variants for text that is not a number', () => {
    expect(phoneVariants('anonymous', 'UA')).toEqual([]);
  });
});
