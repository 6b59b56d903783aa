import type { FieldSpec } from './body-fields';

// The request definitions of the Swagger subset, field by field.

export const SESSION_REQUEST = {
  IpAddress: 'string',
  BusinessUnitId: 'int32',
  Organization: 'string',
  PromotionCode: 'int32',
} as const satisfies FieldSpec;

export const BUSINESS_FACING_SESSION_REQUEST = {
  IpAddress: 'string',
  BusinessUnit: 'int32',
  Organization: 'string',
  SessionInfo: 'object',
} as const satisfies FieldSpec;

export const SESSION_INFO = {
  BatchId: 'int32',
  ModeOfSaleId: 'int32',
  PromotionCode: 'int32',
} as const satisfies FieldSpec;

export const CART_PROPERTIES = {
  ModeOfSaleId: 'int32',
  SourceId: 'int32',
  Solicitor: 'string',
  CategoryId: 'int32',
  ChannelId: 'int32',
  HoldUntilDateTime: 'date-time',
  Notes: 'string',
  InitiatorId: 'int32',
  AddressId: 'int32',
  PhoneId: 'int32',
  ElectronicAddressId: 'int32',
  DeliveryMethodId: 'int32',
  OrderDateTime: 'date-time',
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

export const RETURN_TICKET_REQUEST = {
  Checksum: 'string',
  TicketNumber: 'int32',
  ReturnOrDonate: 'string',
} as const satisfies FieldSpec;

export const APPLY_ON_ACCOUNT_PAYMENT_REQUEST = {
  Amount: 'double',
  PaymentMethodId: 'int32',
  Notes: 'string',
} as const satisfies FieldSpec;
