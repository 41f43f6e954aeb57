// TypeScript types of hacienda-wasm. Hand-written to mirror core/src/inspect/model.rs;
// tests/js/types.test.mjs checks every object `inspect` returns against these declarations.

/** Decimal amounts are strings (exact, e.g. "1950.00000"). */
export type DecimalString = string;

export type InputKind = "document" | "receiver_message" | "hacienda_message" | "status";
export type Container = "xml" | "base64" | "status_json";
export type ProblemSeverity = "info" | "warning" | "error";
export type ProblemSource = "schema" | "clave" | "amounts" | "answer" | "signature" | "input";

export interface Problem {
  severity: ProblemSeverity;
  source: ProblemSource;
  /** Element path, e.g. "/FacturaElectronica/DetalleServicio/LineaDetalle[2]/Impuesto[1]/Monto". */
  path: string | null;
  /** Hacienda rejection code it corresponds to (-1 schema, -45, -54, ...). */
  code: number | null;
  messageEs: string;
  messageEn: string;
}

export interface Verdict {
  badge: "accepted" | "rejected" | "partially_accepted" | "pending" | "error" | "ok" | "problems";
  level: ProblemSeverity;
  titleEs: string;
  titleEn: string;
  whatEs: string;
  whatEn: string;
  todoEs: string;
  todoEn: string;
}

export interface ClassificationInfo {
  category: string;
  rule: string;
  retryable: boolean;
  blocking: "info" | "warning" | "error";
  nextStep: string;
  code: number | null;
  codes: number[];
  reason: string;
  hintEs: string;
  hintEn: string;
}

export interface ClaveCheck {
  field: "date" | "issuer" | "document_type" | "consecutivo";
  inClave: string;
  inDocument: string | null;
  ok: boolean;
}

export interface ClaveInfo {
  digits: string;
  valid: boolean;
  error: string | null;
  country: string | null;
  date: string | null;
  issuerId: string | null;
  branch: string | null;
  terminal: string | null;
  documentTypeCode: string | null;
  documentType: string | null;
  number: number | null;
  consecutivo: string | null;
  situation: string | null;
  securityCode: string | null;
  checks: ClaveCheck[];
}

export interface ActivityCode {
  role: "emisor" | "receptor";
  code: string;
}

export interface PartyInfo {
  role: "emisor" | "receptor";
  name: string | null;
  idType: string | null;
  idTypeName: string | null;
  idNumber: string | null;
  foreignId: string | null;
  commercialName: string | null;
  emails: string[];
  phone: string | null;
  location: string | null;
}

export interface Exoneration {
  line: number | null;
  documentType: string | null;
  documentNumber: string | null;
  institution: string | null;
  date: string | null;
  percent: DecimalString | null;
  amount: DecimalString | null;
}

export interface LineTax {
  code: string | null;
  rateCode: string | null;
  rate: DecimalString | null;
  amount: DecimalString | null;
  exoneration: Exoneration | null;
}

export interface Line {
  number: number | null;
  cabys: string | null;
  quantity: DecimalString | null;
  unit: string | null;
  description: string | null;
  unitPrice: DecimalString | null;
  totalAmount: DecimalString | null;
  discount: DecimalString | null;
  subtotal: DecimalString | null;
  taxBase: DecimalString | null;
  taxes: LineTax[];
  taxNet: DecimalString | null;
  lineTotal: DecimalString | null;
}

export interface TaxTotal {
  code: string | null;
  rateCode: string | null;
  rate: DecimalString | null;
  lines: number;
  base: DecimalString;
  amount: DecimalString;
  exonerated: DecimalString;
  declared: DecimalString | null;
}

export interface Amount {
  name: string;
  value: DecimalString;
}

export interface ArithmeticCheck {
  rule: string;
  code: number | null;
  path: string;
  formula: string;
  expected: DecimalString;
  found: DecimalString;
  ok: boolean;
}

export interface Reference {
  documentType: string | null;
  number: string | null;
  date: string | null;
  code: string | null;
  reason: string | null;
}

export interface AnswerLine {
  code: number;
  message: string;
  row: number;
  column: number;
  severity: "warning" | "error";
  /** Failure category of the line as Hacienda's table row ("validation", "duplicate", ...). */
  category: string;
  meaningEs: string | null;
  meaningEn: string | null;
}

export interface AnswerInfo {
  messageKind: "mensaje_hacienda" | "mensaje_receptor";
  decision: "accepted" | "partially_accepted" | "rejected";
  decisionCode: number;
  estadoMensaje: string | null;
  sandbox: boolean;
  detailRaw: string;
  lines: AnswerLine[];
  notes: string[];
  totalTax: DecimalString | null;
  totalInvoice: DecimalString | null;
  consecutivoReceptor: string | null;
  classification: ClassificationInfo | null;
}

export interface StatusInfo {
  clave: string;
  fecha: string | null;
  state: "recibido" | "procesando" | "aceptado" | "rechazado" | "error";
  isFinal: boolean;
  callbackUrl: string | null;
  hasResponseXml: boolean;
  responseError: string | null;
  classification: ClassificationInfo | null;
}

export interface SignatureInfo {
  signingTime: string | null;
  subject: string | null;
  issuer: string | null;
  serial: string | null;
  subjectSerialNumber: string | null;
  validFrom: string | null;
  validTo: string | null;
  policyIdentifier: string | null;
  signatureAlgorithm: string | null;
  canonicalization: string | null;
  digestAlgorithms: string[];
  references: number;
  certificateError: string | null;
}

export interface Inspection {
  kind: InputKind;
  container: Container;
  rootElement: string | null;
  documentType: string | null;
  documentTypeCode: string | null;
  documentName: string | null;
  schemaVersion: "4.1" | "4.2" | "4.3" | "4.4" | null;
  namespace: string | null;
  declaredEncoding: string | null;
  clave: ClaveInfo | null;
  consecutivo: string | null;
  issuedAt: string | null;
  activityCodes: ActivityCode[];
  parties: PartyInfo[];
  currency: string | null;
  exchangeRate: DecimalString | null;
  saleCondition: string | null;
  paymentMethods: string[];
  lines: Line[];
  taxes: TaxTotal[];
  exonerations: Exoneration[];
  totals: Amount[];
  checks: ArithmeticCheck[];
  lineChecksPassed: number;
  references: Reference[];
  answer: AnswerInfo | null;
  status: StatusInfo | null;
  signature: SignatureInfo | null;
  schemaChecked: boolean;
  problems: Problem[];
  verdict: Verdict;
  /** The decoded XML text (for the raw view). */
  xml: string | null;
}

/** The error thrown when the input cannot be read at all. */
export interface HaciendaError extends Error {
  name: "HaciendaError";
  /** Stable snake_case name: "empty", "xml", "json", "base64", "encoding", "unexpected_root", ... */
  kind: string;
  field: string | null;
}

/** Inspects a document, answer, status JSON or base64 of any of these. Throws HaciendaError. */
export function inspect(input: string | Uint8Array): Inspection;
/** The crate version. */
export function version(): string;
/** Root elements the v4.4 structural checks cover. */
export function schemaRoots(): string[];
