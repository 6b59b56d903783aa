import type { FieldSpec } from './body-fields';

// The request definitions of the Swagger subset, field by field.

export const SESSION_REQUEST = {
  IpAddress: 'string',
  BusinessUnitId: 'int32',
  Organization: 'string',
  PromotionCode: 'int32',
} as const satisfies FieldSpec;

export const SET_CONSTITUENT_REQUEST = {
  ConstituentId: 'int32',
  OverridePrompt: 'boolean',
} as const satisfies FieldSpec;

export const RESERVE_TICKETS_REQUEST = {
  PriceType: 'string',
  PriceTypeReason: 'string',
  PerformanceId: 'int32',
  NumberOfSeats: 'int32',
  ZoneId: 'int32',
  SpecialRequests: 'string',
  Unseated: 'boolean',
  RequestedSeats: 'string',
} as const satisfies FieldSpec;

export const APPLY_OTHER_PAYMENT_REQUEST = {
  Amount: 'double',
  PaymentMethodId: 'int32',
  Notes: 'string',
} as const satisfies FieldSpec;

export const CHECKOUT_REQUEST = {
  CreditCardOwner: 'string',
  CreditCardNumber: 'string',
  CreditCardType: 'int32',
  CreditCardMonth: 'int32',
  CreditCardYear: 'int32',
  Amount: 'double',
  AllowUnderPayment: 'boolean',
  CreditCardAuthenticationCode: 'string',
  Authorize: 'boolean',
  AuthorizationCode: 'string',
  SecureValues: 'string',
  AccountId: 'int32',
  ZipCode: 'string',
  Address: 'string',
  PaymentReference: 'string',
  PaymentId: 'int32',
  ECommerce: 'boolean',
  StoreAccount: 'boolean',
  DeliveryDate: 'date-time',
} as const satisfies FieldSpec;
