import { ConfigError, loadConfig } from '../../src/platform/config';

describe('PARTNER_MAPPINGS at start-up', () => {
  const tessitura = { constituent_id: 81234, payment_method_id: 27, mode_of_sale_id: 14, source_id: 5120 };
  const load = (mappings: unknown) => () => loadConfig({ PARTNER_MAPPINGS: JSON.stringify(mappings) });

  it('when a partner names its constituent, payment method, mode of sale and source, then they are read as given', () => {
    expect(load({ tevo: { tessitura } })().downstream.partners).toEqual({ tevo: { tessitura } });
  });

  it.each([
    ['without a mode of sale', { ...tessitura, mode_of_sale_id: undefined }, 'mode_of_sale_id'],
    ['without a source', { ...tessitura, source_id: undefined }, 'source_id'],
    ['with a source beyond int32', { ...tessitura, source_id: 2 ** 31 }, 'source_id'],
    ['with a field Tessitura has no use for', { ...tessitura, batch: 3 }, 'batch'],
  ])('when a Tessitura mapping comes %s, then start-up stops naming the entry and the field', (_case, mapping, field) => {
    expect(load({ tevo: { tessitura: mapping } })).toThrow(ConfigError);
    expect(load({ tevo: { tessitura: mapping } })).toThrow(new RegExp(`PARTNER_MAPPINGS\\.tevo\\.tessitura.*${field}`));
  });
});
