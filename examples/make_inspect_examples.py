"""Regenerates the base64/JSON examples of this folder from the XML ones."""

import base64
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "inspect"

ACCEPTED = """<?xml version="1.0" encoding="UTF-8"?>
<MensajeHacienda xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda">
  <Clave>50602112500010845021900100001040000003311100003311</Clave>
  <NombreEmisor>Panadería Don Beto</NombreEmisor>
  <TipoIdentificacionEmisor>01</TipoIdentificacionEmisor>
  <NumeroCedulaEmisor>108450219</NumeroCedulaEmisor>
  <Mensaje>1</Mensaje>
  <EstadoMensaje>Aceptado</EstadoMensaje>
  <DetalleMensaje>Este comprobante fue aceptado en el ambiente de pruebas, por lo cual no tiene validez para fines tributarios

codigo, mensaje, fila, columna
-37, "Estimado obligado tributario los datos suministrados en provincia, cantón y distrito del 'emisor' no concuerdan con la información registrada en la Dirección General de Tributación, favor proceder actualizar sus datos.", 0, 0
</DetalleMensaje>
  <MontoTotalImpuesto>30.00000</MontoTotalImpuesto>
  <TotalFactura>3030.00000</TotalFactura>
</MensajeHacienda>
"""

REUSED = """<MensajeHacienda xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/mensajeHacienda"><Clave>50602112500010845021900100001010000001208100001208</Clave><NombreEmisor>Panadería Don Beto</NombreEmisor><TipoIdentificacionEmisor>01</TipoIdentificacionEmisor><NumeroCedulaEmisor>108450219</NumeroCedulaEmisor><Mensaje>3</Mensaje><EstadoMensaje>Rechazado</EstadoMensaje><DetalleMensaje>El comprobante electrónico tiene los siguientes errores:

[
codigo, mensaje, fila, columna
-99, "La numeración consecutiva del comprobante que se esta utilizando para este archivo XML ya existe en nuestras bases de datos.", 0, 0
]</DetalleMensaje><TotalFactura>4500</TotalFactura></MensajeHacienda>"""

if __name__ == "__main__":
    callback = {
        "clave": "50602112500010845021900100001040000003311100003311",
        "fecha": "2025-11-02T07:45:10-0600",
        "indEstado": "aceptado",
        "respuestaXml": base64.b64encode(ACCEPTED.encode("utf-8")).decode("ascii"),
    }
    (HERE / "callback_aceptado.json").write_text(json.dumps(callback, indent=2) + "\n", encoding="utf-8")
    (HERE / "respuesta_consecutivo_repetido.b64").write_text(
        base64.b64encode(REUSED.encode("utf-8")).decode("ascii") + "\n", encoding="ascii"
    )
    print("examples written")
