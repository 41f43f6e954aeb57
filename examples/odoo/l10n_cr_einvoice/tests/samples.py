"""Small hand-written Hacienda samples for the addon's tests (no Odoo import, so the pytest
suite of the repository checks that hacienda_cr reads them as these tests expect)."""

import base64
import json

CLAVE = "50601012600310123456700100001010000000001100000001"
CLAVE_2 = "50601012600310123456700100001010000000002100000002"

SIGNED_FE = """<?xml version="1.0" encoding="utf-8"?>
<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica">
  <Clave>{clave}</Clave>
  <NumeroConsecutivo>{consecutivo}</NumeroConsecutivo>
  <FechaEmision>2026-01-01T10:00:00-06:00</FechaEmision>
  <Emisor>
    <Nombre>Ejemplo S.A.</Nombre>
    <Identificacion><Tipo>02</Tipo><Numero>3101234567</Numero></Identificacion>
  </Emisor>
  <Receptor>
    <Nombre>Cliente</Nombre>
    <Identificacion><Tipo>01</Tipo><Numero>109870654</Numero></Identificacion>
  </Receptor>
  <CondicionVenta>01</CondicionVenta>
  <ResumenFactura><TotalComprobante>1130.00000</TotalComprobante></ResumenFactura>
</FacturaElectronica>
"""

MENSAJE_HACIENDA = """<?xml version="1.0" encoding="UTF-8"?>
<MensajeHacienda xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda">
  <Clave>{clave}</Clave>
  <NombreEmisor>Ejemplo S.A.</NombreEmisor>
  <TipoIdentificacionEmisor>02</TipoIdentificacionEmisor>
  <NumeroCedulaEmisor>3101234567</NumeroCedulaEmisor>
  <Mensaje>{mensaje}</Mensaje>
  <DetalleMensaje>{detalle}</DetalleMensaje>
  <MontoTotalImpuesto>130.00000</MontoTotalImpuesto>
  <TotalFactura>1130.00000</TotalFactura>
</MensajeHacienda>
"""

REJECTION_DETAIL = (
    "El comprobante electrónico tiene los siguientes errores: \n[\ncodigo, mensaje, fila, columna\n"
    '-54, "El monto total de impuestos no coincide con la suma de los campos", 0, 0\n]'
)


def signed_fe(clave=CLAVE, number=1):
    return SIGNED_FE.format(clave=clave, consecutivo=f"001000010100000000{number:02d}")


def status_body(clave=CLAVE, state="procesando", callback=False):
    """A status JSON (or callback JSON) with the decoded answer when the state is final."""
    key_state, key_xml = ("indEstado", "respuestaXml") if callback else ("ind-estado", "respuesta-xml")
    body = {"clave": clave, "fecha": "2026-01-01T10:00:05-06:00", key_state: state}
    if state in ("aceptado", "rechazado"):
        xml = MENSAJE_HACIENDA.format(
            clave=clave,
            mensaje="1" if state == "aceptado" else "3",
            detalle="Este comprobante fue aceptado." if state == "aceptado" else REJECTION_DETAIL,
        )
        body[key_xml] = base64.b64encode(xml.encode()).decode()
    return json.dumps(body).encode()
