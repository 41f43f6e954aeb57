// Shared by the node tests, the browser tests and the benchmark: where things are, loading
// the node build of hacienda-wasm, and a generator of large, arithmetically correct invoices.
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const OWN_FIXTURES = path.join(REPO, "tests", "fixtures");

/** The node build (`make build-wasm` writes it). */
export function loadWasm() {
  const require = createRequire(import.meta.url);
  const entry = path.join(REPO, "bindings-wasm", "pkg-node", "hacienda_wasm.js");
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run make build-wasm`);
  return require(entry);
}

/**
 * The shared real samples: HACIENDA_FIXTURES, or the first `shared/fixtures/hacienda` found
 * walking up from the repository. `null` when absent (tests then skip, unless
 * HACIENDA_REQUIRE_FIXTURES=1, where they fail).
 */
export function sharedFixtures() {
  const env = process.env.HACIENDA_FIXTURES;
  if (env) return existsSync(env) ? env : null;
  for (let dir = REPO; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "fixtures", "hacienda");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}

export const requireFixtures = process.env.HACIENDA_REQUIRE_FIXTURES === "1";

/** Files under `dir` (recursive) whose name ends with one of `exts`. */
export function filesUnder(dir, exts) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

/** What a shared sample's file name says: fe_v43_... -> kind, version, root. */
export function expectedFromName(file) {
  const m = /^(fe|nc|nd|te|mr|mh)_v4(\d)_/.exec(path.basename(file));
  if (!m) return null;
  const roots = {
    fe: ["document", "FacturaElectronica"], nc: ["document", "NotaCreditoElectronica"],
    nd: ["document", "NotaDebitoElectronica"], te: ["document", "TiqueteElectronico"],
    mr: ["receiver_message", "MensajeReceptor"], mh: ["hacienda_message", "MensajeHacienda"],
  };
  const [kind, root] = roots[m[1]];
  return { kind, root, version: `4.${m[2]}` };
}

/** The `<Clave>` of an XML text, read with a regular expression (independent of the parser). */
export function claveOf(text) {
  const m = /<(?:[\w-]+:)?Clave>\s*(\d+)\s*<\/(?:[\w-]+:)?Clave>/.exec(text);
  return m ? m[1] : null;
}

const NS = "https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica";

/**
 * A v4.4 FacturaElectronica with `n` lines whose amounts all add up (about 520 bytes a line:
 * 2000 lines is about 1 MB). `breakTotal` makes TotalComprobante wrong by 1.
 */
export function generateInvoice(n, { breakTotal = false } = {}) {
  const lines = [];
  let venta = 0, impuesto = 0;
  for (let i = 1; i <= n; i++) {
    const qty = (i % 7) + 1;
    const price = 100 + (i % 13) * 25;
    const total = qty * price;
    const tax = Math.round(total * 13) / 100;
    venta += total;
    impuesto += tax;
    lines.push(`<LineaDetalle><NumeroLinea>${i}</NumeroLinea><CodigoCABYS>4299901000000</CodigoCABYS>` +
      `<Cantidad>${qty}</Cantidad><UnidadMedida>Unid</UnidadMedida><Detalle>Tornillo ${i}</Detalle>` +
      `<PrecioUnitario>${price.toFixed(2)}</PrecioUnitario><MontoTotal>${total.toFixed(2)}</MontoTotal>` +
      `<SubTotal>${total.toFixed(2)}</SubTotal><BaseImponible>${total.toFixed(2)}</BaseImponible>` +
      `<Impuesto><Codigo>01</Codigo><CodigoTarifaIVA>08</CodigoTarifaIVA><Tarifa>13.00</Tarifa><Monto>${tax.toFixed(2)}</Monto></Impuesto>` +
      `<ImpuestoAsumidoEmisorFabrica>0.00000</ImpuestoAsumidoEmisorFabrica><ImpuestoNeto>${tax.toFixed(2)}</ImpuestoNeto>` +
      `<MontoTotalLinea>${(total + tax).toFixed(2)}</MontoTotalLinea></LineaDetalle>`);
  }
  const comprobante = venta + impuesto + (breakTotal ? 1 : 0);
  const f = (x) => x.toFixed(5);
  return `<?xml version="1.0" encoding="utf-8"?>
<FacturaElectronica xmlns="${NS}">
  <Clave>50615092500310123456700100001010000000451123456789</Clave>
  <ProveedorSistemas>3101234567</ProveedorSistemas>
  <CodigoActividadEmisor>475201</CodigoActividadEmisor>
  <NumeroConsecutivo>00100001010000000451</NumeroConsecutivo>
  <FechaEmision>2025-09-15T10:05:33-06:00</FechaEmision>
  <Emisor>
    <Nombre>Ferretería El Clavo S.A.</Nombre>
    <Identificacion><Tipo>02</Tipo><Numero>3101234567</Numero></Identificacion>
    <Ubicacion><Provincia>1</Provincia><Canton>01</Canton><Distrito>01</Distrito><OtrasSenas>100 m norte del parque</OtrasSenas></Ubicacion>
    <CorreoElectronico>facturas@elclavo.example</CorreoElectronico>
  </Emisor>
  <Receptor>
    <Nombre>María Pérez Solís</Nombre>
    <Identificacion><Tipo>01</Tipo><Numero>109870654</Numero></Identificacion>
    <CorreoElectronico>maria@example.com</CorreoElectronico>
  </Receptor>
  <CondicionVenta>01</CondicionVenta>
  <DetalleServicio>
${lines.join("\n")}
  </DetalleServicio>
  <ResumenFactura>
    <CodigoTipoMoneda><CodigoMoneda>CRC</CodigoMoneda><TipoCambio>1</TipoCambio></CodigoTipoMoneda>
    <TotalServGravados>0.00000</TotalServGravados>
    <TotalServExentos>0.00000</TotalServExentos>
    <TotalMercanciasGravadas>${f(venta)}</TotalMercanciasGravadas>
    <TotalMercanciasExentas>0.00000</TotalMercanciasExentas>
    <TotalGravado>${f(venta)}</TotalGravado>
    <TotalExento>0.00000</TotalExento>
    <TotalVenta>${f(venta)}</TotalVenta>
    <TotalDescuentos>0.00000</TotalDescuentos>
    <TotalVentaNeta>${f(venta)}</TotalVentaNeta>
    <TotalDesgloseImpuesto><Codigo>01</Codigo><CodigoTarifaIVA>08</CodigoTarifaIVA><TotalMontoImpuesto>${f(impuesto)}</TotalMontoImpuesto></TotalDesgloseImpuesto>
    <TotalImpuesto>${f(impuesto)}</TotalImpuesto>
    <MedioPago><TipoMedioPago>01</TipoMedioPago></MedioPago>
    <TotalComprobante>${f(comprobante)}</TotalComprobante>
  </ResumenFactura>
</FacturaElectronica>
`;
}
