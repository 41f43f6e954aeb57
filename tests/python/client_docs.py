"""Small v4.4 test documents for the client and simulator tests (unsigned: the simulator does
not check signatures)."""

from __future__ import annotations

import hacienda_cr as hc

ISSUER = "206920142"


def clave(n: int, code: int | None = None) -> str:
    return f"506010424000{ISSUER}0010000101{n:010d}1{(n if code is None else code):08d}"


def invoice_xml(n: int, code: int | None = None) -> bytes:
    return (
        '<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/'
        f'facturaElectronica"><Clave>{clave(n, code)}</Clave>'
        f"<NumeroConsecutivo>0010000101{n:010d}</NumeroConsecutivo>"
        "<FechaEmision>2024-04-01T10:00:00-06:00</FechaEmision>"
        f"<Emisor><Nombre>Emisor</Nombre><Identificacion><Tipo>01</Tipo><Numero>{ISSUER}</Numero>"
        "</Identificacion></Emisor><Receptor><Nombre>Receptor</Nombre><Identificacion><Tipo>02</Tipo>"
        "<Numero>3101123456</Numero></Identificacion></Receptor><ResumenFactura>"
        "<TotalImpuesto>130.00000</TotalImpuesto><TotalComprobante>1130.00000</TotalComprobante>"
        "</ResumenFactura></FacturaElectronica>"
    ).encode()


def request(n: int, code: int | None = None) -> hc.SubmissionRequest:
    return hc.build_submission(invoice_xml(n, code))
