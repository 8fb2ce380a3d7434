"""EMCS codes of a movement: product code, CN code, journey time, guarantor type.

Strict only: these come from EMCS and registers in their code form (data contract,
"movements.csv"); a source that spells them otherwise is rejected, not guessed at.
"""

from __future__ import annotations

import re

from graphfraud.model.types.base import pattern_parser

#: excise product code, `T200` cigarettes ... (the XSD's `ExciseProductCodeType` is any 4)
EPC = re.compile(r"^[A-Z][0-9]{3}$")
#: combined nomenclature code, the XSD's `CnCodeType`
CN = re.compile(r"^[0-9]{8}$")
#: `H01`-`H24` or `D01`-`D92` (data contract; the XSD's `JourneyTimeType` also lets 00 pass)
JOURNEY = re.compile(r"^(H(0[1-9]|1[0-9]|2[0-4])|D(0[1-9]|[1-8][0-9]|9[0-2]))$")
#: a guarantor type code 1-5, or a joint guarantee (e.g. 12)
GUARANTOR_TYPE = re.compile(r"^[1-5]{1,4}$")

epc = pattern_parser(EPC, "excise product code (e.g. T200)")
cn_code = pattern_parser(CN, "CN code (8 digits)")
journey_time = pattern_parser(JOURNEY, "journey time (H01-H24 or D01-D92)")
guarantor_type = pattern_parser(GUARANTOR_TYPE, "guarantor type code (1-5, or joint e.g. 12)")
