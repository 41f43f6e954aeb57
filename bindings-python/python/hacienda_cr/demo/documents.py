"""Demo documents: small v4.4 invoices of one issuer (unsigned: the simulator does not check
signatures). About 1 % reuse the consecutivo of an earlier invoice (Hacienda answers -99)."""

from __future__ import annotations

import random

ISSUER = "206920142"


def clave(number: int, security_code: int) -> str:
    return f"506010424000{ISSUER}0010000101{number:010d}1{security_code:08d}"


def invoice(number: int, security_code: int, amount: int) -> bytes:
    tax = amount * 13 // 100
    return (
        '<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/'
        f'facturaElectronica"><Clave>{clave(number, security_code)}</Clave>'
        f"<NumeroConsecutivo>0010000101{number:010d}</NumeroConsecutivo>"
        "<FechaEmision>2024-04-01T10:00:00-06:00</FechaEmision><Emisor><Nombre>Ferretería Demo S.A."
        f"</Nombre><Identificacion><Tipo>01</Tipo><Numero>{ISSUER}</Numero></Identificacion></Emisor>"
        "<Receptor><Nombre>Cliente Demo</Nombre><Identificacion><Tipo>02</Tipo><Numero>3101123456</Numero>"
        f"</Identificacion></Receptor><ResumenFactura><TotalImpuesto>{tax}.00000</TotalImpuesto>"
        f"<TotalComprobante>{amount + tax}.00000</TotalComprobante></ResumenFactura></FacturaElectronica>"
    ).encode()


def generate(count: int, seed: int) -> list[tuple[str, bytes]]:
    """`count` documents (clave, xml); deterministic for a seed."""
    rng = random.Random(seed)
    out: list[tuple[str, bytes]] = []
    for i in range(1, count + 1):
        number, code = i, i
        if i > 10 and rng.random() < 0.01:
            number = rng.randrange(1, i)  # reuses an earlier consecutivo with another clave
            code = 90_000_000 + i
        out.append((clave(number, code), invoice(number, code, rng.randrange(1_000, 500_000))))
    return out
