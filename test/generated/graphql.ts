/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Names one API client of the caller's distributor. */
export type ApiClientIdInput = {
  /** The API client's id. */
  id: string;
};

/** A permission granted to an ERP API client; OAuth tokens name it as e.g. `catalog:read`. */
export type ApiScope =
  /** `briefs:read`: the distributor's design briefs. */
  | 'BRIEFS_READ'
  /** `briefs:write`: create and discuss design briefs. */
  | 'BRIEFS_WRITE'
  /** `catalog:read`: products, variants, availability, prices, lead-time quotes. */
  | 'CATALOG_READ'
  /** `feedback:write`: report how shipments arrived. */
  | 'FEEDBACK_WRITE'
  /** `orders:read`: the distributor's orders. */
  | 'ORDERS_READ'
  /** `orders:write`: place and cancel orders. */
  | 'ORDERS_WRITE'
  /** `shipments:read`: shipments, tracking events and documents. */
  | 'SHIPMENTS_READ';

/** An ISO 3166-1 alpha-2 country code. */
export type CountryCode =
  /** Andorra */
  | 'AD'
  /** United Arab Emirates */
  | 'AE'
  /** Afghanistan */
  | 'AF'
  /** Antigua & Barbuda */
  | 'AG'
  /** Anguilla */
  | 'AI'
  /** Albania */
  | 'AL'
  /** Armenia */
  | 'AM'
  /** Angola */
  | 'AO'
  /** Antarctica */
  | 'AQ'
  /** Argentina */
  | 'AR'
  /** American Samoa */
  | 'AS'
  /** Austria */
  | 'AT'
  /** Australia */
  | 'AU'
  /** Aruba */
  | 'AW'
  /** Åland Islands */
  | 'AX'
  /** Azerbaijan */
  | 'AZ'
  /** Bosnia & Herzegovina */
  | 'BA'
  /** Barbados */
  | 'BB'
  /** Bangladesh */
  | 'BD'
  /** Belgium */
  | 'BE'
  /** Burkina Faso */
  | 'BF'
  /** Bulgaria */
  | 'BG'
  /** Bahrain */
  | 'BH'
  /** Burundi */
  | 'BI'
  /** Benin */
  | 'BJ'
  /** St. Barthélemy */
  | 'BL'
  /** Bermuda */
  | 'BM'
  /** Brunei */
  | 'BN'
  /** Bolivia */
  | 'BO'
  /** Caribbean Netherlands */
  | 'BQ'
  /** Brazil */
  | 'BR'
  /** Bahamas */
  | 'BS'
  /** Bhutan */
  | 'BT'
  /** Bouvet Island */
  | 'BV'
  /** Botswana */
  | 'BW'
  /** Belarus */
  | 'BY'
  /** Belize */
  | 'BZ'
  /** Canada */
  | 'CA'
  /** Cocos (Keeling) Islands */
  | 'CC'
  /** Congo - Kinshasa */
  | 'CD'
  /** Central African Republic */
  | 'CF'
  /** Congo - Brazzaville */
  | 'CG'
  /** Switzerland */
  | 'CH'
  /** Côte d’Ivoire */
  | 'CI'
  /** Cook Islands */
  | 'CK'
  /** Chile */
  | 'CL'
  /** Cameroon */
  | 'CM'
  /** China */
  | 'CN'
  /** Colombia */
  | 'CO'
  /** Costa Rica */
  | 'CR'
  /** Cuba */
  | 'CU'
  /** Cape Verde */
  | 'CV'
  /** Curaçao */
  | 'CW'
  /** Christmas Island */
  | 'CX'
  /** Cyprus */
  | 'CY'
  /** Czechia */
  | 'CZ'
  /** Germany */
  | 'DE'
  /** Djibouti */
  | 'DJ'
  /** Denmark */
  | 'DK'
  /** Dominica */
  | 'DM'
  /** Dominican Republic */
  | 'DO'
  /** Algeria */
  | 'DZ'
  /** Ecuador */
  | 'EC'
  /** Estonia */
  | 'EE'
  /** Egypt */
  | 'EG'
  /** Western Sahara */
  | 'EH'
  /** Eritrea */
  | 'ER'
  /** Spain */
  | 'ES'
  /** Ethiopia */
  | 'ET'
  /** Finland */
  | 'FI'
  /** Fiji */
  | 'FJ'
  /** Falkland Islands */
  | 'FK'
  /** Micronesia */
  | 'FM'
  /** Faroe Islands */
  | 'FO'
  /** France */
  | 'FR'
  /** Gabon */
  | 'GA'
  /** United Kingdom */
  | 'GB'
  /** Grenada */
  | 'GD'
  /** Georgia */
  | 'GE'
  /** French Guiana */
  | 'GF'
  /** Guernsey */
  | 'GG'
  /** Ghana */
  | 'GH'
  /** Gibraltar */
  | 'GI'
  /** Greenland */
  | 'GL'
  /** Gambia */
  | 'GM'
  /** Guinea */
  | 'GN'
  /** Guadeloupe */
  | 'GP'
  /** Equatorial Guinea */
  | 'GQ'
  /** Greece */
  | 'GR'
  /** South Georgia & South Sandwich Islands */
  | 'GS'
  /** Guatemala */
  | 'GT'
  /** Guam */
  | 'GU'
  /** Guinea-Bissau */
  | 'GW'
  /** Guyana */
  | 'GY'
  /** Hong Kong SAR China */
  | 'HK'
  /** Heard & McDonald Islands */
  | 'HM'
  /** Honduras */
  | 'HN'
  /** Croatia */
  | 'HR'
  /** Haiti */
  | 'HT'
  /** Hungary */
  | 'HU'
  /** Indonesia */
  | 'ID'
  /** Ireland */
  | 'IE'
  /** Israel */
  | 'IL'
  /** Isle of Man */
  | 'IM'
  /** India */
  | 'IN'
  /** British Indian Ocean Territory */
  | 'IO'
  /** Iraq */
  | 'IQ'
  /** Iran */
  | 'IR'
  /** Iceland */
  | 'IS'
  /** Italy */
  | 'IT'
  /** Jersey */
  | 'JE'
  /** Jamaica */
  | 'JM'
  /** Jordan */
  | 'JO'
  /** Japan */
  | 'JP'
  /** Kenya */
  | 'KE'
  /** Kyrgyzstan */
  | 'KG'
  /** Cambodia */
  | 'KH'
  /** Kiribati */
  | 'KI'
  /** Comoros */
  | 'KM'
  /** St. Kitts & Nevis */
  | 'KN'
  /** North Korea */
  | 'KP'
  /** South Korea */
  | 'KR'
  /** Kuwait */
  | 'KW'
  /** Cayman Islands */
  | 'KY'
  /** Kazakhstan */
  | 'KZ'
  /** Laos */
  | 'LA'
  /** Lebanon */
  | 'LB'
  /** St. Lucia */
  | 'LC'
  /** Liechtenstein */
  | 'LI'
  /** Sri Lanka */
  | 'LK'
  /** Liberia */
  | 'LR'
  /** Lesotho */
  | 'LS'
  /** Lithuania */
  | 'LT'
  /** Luxembourg */
  | 'LU'
  /** Latvia */
  | 'LV'
  /** Libya */
  | 'LY'
  /** Morocco */
  | 'MA'
  /** Monaco */
  | 'MC'
  /** Moldova */
  | 'MD'
  /** Montenegro */
  | 'ME'
  /** St. Martin */
  | 'MF'
  /** Madagascar */
  | 'MG'
  /** Marshall Islands */
  | 'MH'
  /** North Macedonia */
  | 'MK'
  /** Mali */
  | 'ML'
  /** Myanmar (Burma) */
  | 'MM'
  /** Mongolia */
  | 'MN'
  /** Macao SAR China */
  | 'MO'
  /** Northern Mariana Islands */
  | 'MP'
  /** Martinique */
  | 'MQ'
  /** Mauritania */
  | 'MR'
  /** Montserrat */
  | 'MS'
  /** Malta */
  | 'MT'
  /** Mauritius */
  | 'MU'
  /** Maldives */
  | 'MV'
  /** Malawi */
  | 'MW'
  /** Mexico */
  | 'MX'
  /** Malaysia */
  | 'MY'
  /** Mozambique */
  | 'MZ'
  /** Namibia */
  | 'NA'
  /** New Caledonia */
  | 'NC'
  /** Niger */
  | 'NE'
  /** Norfolk Island */
  | 'NF'
  /** Nigeria */
  | 'NG'
  /** Nicaragua */
  | 'NI'
  /** Netherlands */
  | 'NL'
  /** Norway */
  | 'NO'
  /** Nepal */
  | 'NP'
  /** Nauru */
  | 'NR'
  /** Niue */
  | 'NU'
  /** New Zealand */
  | 'NZ'
  /** Oman */
  | 'OM'
  /** Panama */
  | 'PA'
  /** Peru */
  | 'PE'
  /** French Polynesia */
  | 'PF'
  /** Papua New Guinea */
  | 'PG'
  /** Philippines */
  | 'PH'
  /** Pakistan */
  | 'PK'
  /** Poland */
  | 'PL'
  /** St. Pierre & Miquelon */
  | 'PM'
  /** Pitcairn Islands */
  | 'PN'
  /** Puerto Rico */
  | 'PR'
  /** Palestinian Territories */
  | 'PS'
  /** Portugal */
  | 'PT'
  /** Palau */
  | 'PW'
  /** Paraguay */
  | 'PY'
  /** Qatar */
  | 'QA'
  /** Réunion */
  | 'RE'
  /** Romania */
  | 'RO'
  /** Serbia */
  | 'RS'
  /** Russia */
  | 'RU'
  /** Rwanda */
  | 'RW'
  /** Saudi Arabia */
  | 'SA'
  /** Solomon Islands */
  | 'SB'
  /** Seychelles */
  | 'SC'
  /** Sudan */
  | 'SD'
  /** Sweden */
  | 'SE'
  /** Singapore */
  | 'SG'
  /** St. Helena */
  | 'SH'
  /** Slovenia */
  | 'SI'
  /** Svalbard & Jan Mayen */
  | 'SJ'
  /** Slovakia */
  | 'SK'
  /** Sierra Leone */
  | 'SL'
  /** San Marino */
  | 'SM'
  /** Senegal */
  | 'SN'
  /** Somalia */
  | 'SO'
  /** Suriname */
  | 'SR'
  /** South Sudan */
  | 'SS'
  /** São Tomé & Príncipe */
  | 'ST'
  /** El Salvador */
  | 'SV'
  /** Sint Maarten */
  | 'SX'
  /** Syria */
  | 'SY'
  /** Eswatini */
  | 'SZ'
  /** Turks & Caicos Islands */
  | 'TC'
  /** Chad */
  | 'TD'
  /** French Southern Territories */
  | 'TF'
  /** Togo */
  | 'TG'
  /** Thailand */
  | 'TH'
  /** Tajikistan */
  | 'TJ'
  /** Tokelau */
  | 'TK'
  /** Timor-Leste */
  | 'TL'
  /** Turkmenistan */
  | 'TM'
  /** Tunisia */
  | 'TN'
  /** Tonga */
  | 'TO'
  /** Türkiye */
  | 'TR'
  /** Trinidad & Tobago */
  | 'TT'
  /** Tuvalu */
  | 'TV'
  /** Taiwan */
  | 'TW'
  /** Tanzania */
  | 'TZ'
  /** Ukraine */
  | 'UA'
  /** Uganda */
  | 'UG'
  /** U.S. Outlying Islands */
  | 'UM'
  /** United States */
  | 'US'
  /** Uruguay */
  | 'UY'
  /** Uzbekistan */
  | 'UZ'
  /** Vatican City */
  | 'VA'
  /** St. Vincent & Grenadines */
  | 'VC'
  /** Venezuela */
  | 'VE'
  /** British Virgin Islands */
  | 'VG'
  /** U.S. Virgin Islands */
  | 'VI'
  /** Vietnam */
  | 'VN'
  /** Vanuatu */
  | 'VU'
  /** Wallis & Futuna */
  | 'WF'
  /** Samoa */
  | 'WS'
  /** Yemen */
  | 'YE'
  /** Mayotte */
  | 'YT'
  /** South Africa */
  | 'ZA'
  /** Zambia */
  | 'ZM'
  /** Zimbabwe */
  | 'ZW';

/** A new ERP API client of the caller's distributor. */
export type CreateApiClientInput = {
  /** What the integration is, up to 200 characters. */
  name: string;
  /** The scopes its tokens may be granted; at least one. */
  scopes: Array<ApiScope>;
};

/** A new user of the caller's distributor. */
export type CreateUserInput = {
  /** Sign-in email; unique across Facet. */
  email: string;
  /** Full name, up to 200 characters. */
  name: string;
  /** Initial password, 12 to 128 characters; share it with the user securely. */
  password: string;
  /** `BUYER` or `DISTRIBUTOR_ADMIN`. */
  role: Role;
};

/** An ISO 4217 currency code. */
export type CurrencyCode =
  /** United Arab Emirates Dirham; 2 decimal places. */
  | 'AED'
  /** Afghan Afghani; 2 decimal places. */
  | 'AFN'
  /** Albanian Lek; 2 decimal places. */
  | 'ALL'
  /** Armenian Dram; 2 decimal places. */
  | 'AMD'
  /** Angolan Kwanza; 2 decimal places. */
  | 'AOA'
  /** Argentine Peso; 2 decimal places. */
  | 'ARS'
  /** Australian Dollar; 2 decimal places. */
  | 'AUD'
  /** Aruban Florin; 2 decimal places. */
  | 'AWG'
  /** Azerbaijani Manat; 2 decimal places. */
  | 'AZN'
  /** Bosnia-Herzegovina Convertible Mark; 2 decimal places. */
  | 'BAM'
  /** Barbadian Dollar; 2 decimal places. */
  | 'BBD'
  /** Bangladeshi Taka; 2 decimal places. */
  | 'BDT'
  /** Bahraini Dinar; 3 decimal places. */
  | 'BHD'
  /** Burundian Franc; 0 decimal places. */
  | 'BIF'
  /** Bermudan Dollar; 2 decimal places. */
  | 'BMD'
  /** Brunei Dollar; 2 decimal places. */
  | 'BND'
  /** Bolivian Boliviano; 2 decimal places. */
  | 'BOB'
  /** Brazilian Real; 2 decimal places. */
  | 'BRL'
  /** Bahamian Dollar; 2 decimal places. */
  | 'BSD'
  /** Bhutanese Ngultrum; 2 decimal places. */
  | 'BTN'
  /** Botswanan Pula; 2 decimal places. */
  | 'BWP'
  /** Belarusian Ruble; 2 decimal places. */
  | 'BYN'
  /** Belize Dollar; 2 decimal places. */
  | 'BZD'
  /** Canadian Dollar; 2 decimal places. */
  | 'CAD'
  /** Congolese Franc; 2 decimal places. */
  | 'CDF'
  /** Swiss Franc; 2 decimal places. */
  | 'CHF'
  /** Chilean Peso; 0 decimal places. */
  | 'CLP'
  /** Chinese Yuan; 2 decimal places. */
  | 'CNY'
  /** Colombian Peso; 2 decimal places. */
  | 'COP'
  /** Costa Rican Colón; 2 decimal places. */
  | 'CRC'
  /** Cuban Peso; 2 decimal places. */
  | 'CUP'
  /** Cape Verdean Escudo; 2 decimal places. */
  | 'CVE'
  /** Czech Koruna; 2 decimal places. */
  | 'CZK'
  /** Djiboutian Franc; 0 decimal places. */
  | 'DJF'
  /** Danish Krone; 2 decimal places. */
  | 'DKK'
  /** Dominican Peso; 2 decimal places. */
  | 'DOP'
  /** Algerian Dinar; 2 decimal places. */
  | 'DZD'
  /** Egyptian Pound; 2 decimal places. */
  | 'EGP'
  /** Eritrean Nakfa; 2 decimal places. */
  | 'ERN'
  /** Ethiopian Birr; 2 decimal places. */
  | 'ETB'
  /** Euro; 2 decimal places. */
  | 'EUR'
  /** Fijian Dollar; 2 decimal places. */
  | 'FJD'
  /** Falkland Islands Pound; 2 decimal places. */
  | 'FKP'
  /** British Pound; 2 decimal places. */
  | 'GBP'
  /** Georgian Lari; 2 decimal places. */
  | 'GEL'
  /** Ghanaian Cedi; 2 decimal places. */
  | 'GHS'
  /** Gibraltar Pound; 2 decimal places. */
  | 'GIP'
  /** Gambian Dalasi; 2 decimal places. */
  | 'GMD'
  /** Guinean Franc; 0 decimal places. */
  | 'GNF'
  /** Guatemalan Quetzal; 2 decimal places. */
  | 'GTQ'
  /** Guyanaese Dollar; 2 decimal places. */
  | 'GYD'
  /** Hong Kong Dollar; 2 decimal places. */
  | 'HKD'
  /** Honduran Lempira; 2 decimal places. */
  | 'HNL'
  /** Haitian Gourde; 2 decimal places. */
  | 'HTG'
  /** Hungarian Forint; 2 decimal places. */
  | 'HUF'
  /** Indonesian Rupiah; 2 decimal places. */
  | 'IDR'
  /** Israeli New Shekel; 2 decimal places. */
  | 'ILS'
  /** Indian Rupee; 2 decimal places. */
  | 'INR'
  /** Iraqi Dinar; 3 decimal places. */
  | 'IQD'
  /** Iranian Rial; 2 decimal places. */
  | 'IRR'
  /** Icelandic Króna; 0 decimal places. */
  | 'ISK'
  /** Jamaican Dollar; 2 decimal places. */
  | 'JMD'
  /** Jordanian Dinar; 3 decimal places. */
  | 'JOD'
  /** Japanese Yen; 0 decimal places. */
  | 'JPY'
  /** Kenyan Shilling; 2 decimal places. */
  | 'KES'
  /** Kyrgyz Som; 2 decimal places. */
  | 'KGS'
  /** Cambodian Riel; 2 decimal places. */
  | 'KHR'
  /** Comorian Franc; 0 decimal places. */
  | 'KMF'
  /** North Korean Won; 2 decimal places. */
  | 'KPW'
  /** South Korean Won; 0 decimal places. */
  | 'KRW'
  /** Kuwaiti Dinar; 3 decimal places. */
  | 'KWD'
  /** Cayman Islands Dollar; 2 decimal places. */
  | 'KYD'
  /** Kazakhstani Tenge; 2 decimal places. */
  | 'KZT'
  /** Laotian Kip; 2 decimal places. */
  | 'LAK'
  /** Lebanese Pound; 2 decimal places. */
  | 'LBP'
  /** Sri Lankan Rupee; 2 decimal places. */
  | 'LKR'
  /** Liberian Dollar; 2 decimal places. */
  | 'LRD'
  /** Lesotho Loti; 2 decimal places. */
  | 'LSL'
  /** Libyan Dinar; 3 decimal places. */
  | 'LYD'
  /** Moroccan Dirham; 2 decimal places. */
  | 'MAD'
  /** Moldovan Leu; 2 decimal places. */
  | 'MDL'
  /** Malagasy Ariary; 2 decimal places. */
  | 'MGA'
  /** Macedonian Denar; 2 decimal places. */
  | 'MKD'
  /** Myanmar Kyat; 2 decimal places. */
  | 'MMK'
  /** Mongolian Tugrik; 2 decimal places. */
  | 'MNT'
  /** Macanese Pataca; 2 decimal places. */
  | 'MOP'
  /** Mauritanian Ouguiya; 2 decimal places. */
  | 'MRU'
  /** Mauritian Rupee; 2 decimal places. */
  | 'MUR'
  /** Maldivian Rufiyaa; 2 decimal places. */
  | 'MVR'
  /** Malawian Kwacha; 2 decimal places. */
  | 'MWK'
  /** Mexican Peso; 2 decimal places. */
  | 'MXN'
  /** Malaysian Ringgit; 2 decimal places. */
  | 'MYR'
  /** Mozambican Metical; 2 decimal places. */
  | 'MZN'
  /** Namibian Dollar; 2 decimal places. */
  | 'NAD'
  /** Nigerian Naira; 2 decimal places. */
  | 'NGN'
  /** Nicaraguan Córdoba; 2 decimal places. */
  | 'NIO'
  /** Norwegian Krone; 2 decimal places. */
  | 'NOK'
  /** Nepalese Rupee; 2 decimal places. */
  | 'NPR'
  /** New Zealand Dollar; 2 decimal places. */
  | 'NZD'
  /** Omani Rial; 3 decimal places. */
  | 'OMR'
  /** Panamanian Balboa; 2 decimal places. */
  | 'PAB'
  /** Peruvian Sol; 2 decimal places. */
  | 'PEN'
  /** Papua New Guinean Kina; 2 decimal places. */
  | 'PGK'
  /** Philippine Peso; 2 decimal places. */
  | 'PHP'
  /** Pakistani Rupee; 2 decimal places. */
  | 'PKR'
  /** Polish Zloty; 2 decimal places. */
  | 'PLN'
  /** Paraguayan Guarani; 0 decimal places. */
  | 'PYG'
  /** Qatari Riyal; 2 decimal places. */
  | 'QAR'
  /** Romanian Leu; 2 decimal places. */
  | 'RON'
  /** Serbian Dinar; 2 decimal places. */
  | 'RSD'
  /** Russian Ruble; 2 decimal places. */
  | 'RUB'
  /** Rwandan Franc; 0 decimal places. */
  | 'RWF'
  /** Saudi Riyal; 2 decimal places. */
  | 'SAR'
  /** Solomon Islands Dollar; 2 decimal places. */
  | 'SBD'
  /** Seychellois Rupee; 2 decimal places. */
  | 'SCR'
  /** Sudanese Pound; 2 decimal places. */
  | 'SDG'
  /** Swedish Krona; 2 decimal places. */
  | 'SEK'
  /** Singapore Dollar; 2 decimal places. */
  | 'SGD'
  /** St. Helena Pound; 2 decimal places. */
  | 'SHP'
  /** Sierra Leonean Leone; 2 decimal places. */
  | 'SLE'
  /** Somali Shilling; 2 decimal places. */
  | 'SOS'
  /** Surinamese Dollar; 2 decimal places. */
  | 'SRD'
  /** South Sudanese Pound; 2 decimal places. */
  | 'SSP'
  /** São Tomé & Príncipe Dobra; 2 decimal places. */
  | 'STN'
  /** Salvadoran Colón; 2 decimal places. */
  | 'SVC'
  /** Syrian Pound; 2 decimal places. */
  | 'SYP'
  /** Swazi Lilangeni; 2 decimal places. */
  | 'SZL'
  /** Thai Baht; 2 decimal places. */
  | 'THB'
  /** Tajikistani Somoni; 2 decimal places. */
  | 'TJS'
  /** Turkmenistani Manat; 2 decimal places. */
  | 'TMT'
  /** Tunisian Dinar; 3 decimal places. */
  | 'TND'
  /** Tongan Paʻanga; 2 decimal places. */
  | 'TOP'
  /** Turkish Lira; 2 decimal places. */
  | 'TRY'
  /** Trinidad & Tobago Dollar; 2 decimal places. */
  | 'TTD'
  /** New Taiwan Dollar; 2 decimal places. */
  | 'TWD'
  /** Tanzanian Shilling; 2 decimal places. */
  | 'TZS'
  /** Ukrainian Hryvnia; 2 decimal places. */
  | 'UAH'
  /** Ugandan Shilling; 0 decimal places. */
  | 'UGX'
  /** US Dollar; 2 decimal places. */
  | 'USD'
  /** Uruguayan Peso; 2 decimal places. */
  | 'UYU'
  /** Uzbekistani Som; 2 decimal places. */
  | 'UZS'
  /** Bolívar Soberano; 2 decimal places. */
  | 'VED'
  /** Venezuelan Bolívar; 2 decimal places. */
  | 'VES'
  /** Vietnamese Dong; 0 decimal places. */
  | 'VND'
  /** Vanuatu Vatu; 0 decimal places. */
  | 'VUV'
  /** Samoan Tala; 2 decimal places. */
  | 'WST'
  /** Central African CFA Franc; 0 decimal places. */
  | 'XAF'
  /** East Caribbean Dollar; 2 decimal places. */
  | 'XCD'
  /** Caribbean guilder; 2 decimal places. */
  | 'XCG'
  /** West African CFA Franc; 0 decimal places. */
  | 'XOF'
  /** CFP Franc; 0 decimal places. */
  | 'XPF'
  /** Yemeni Rial; 2 decimal places. */
  | 'YER'
  /** South African Rand; 2 decimal places. */
  | 'ZAR'
  /** Zambian Kwacha; 2 decimal places. */
  | 'ZMW'
  /** Zimbabwean Gold; 2 decimal places. */
  | 'ZWG';

/** Filters for the distributor list; all given filters must match. */
export type DistributorFilter = {
  /** Only distributors seated in this country. */
  country?: CountryCode | null | undefined;
  /** Matches part of the name or code, ignoring case. */
  search?: string | null | undefined;
};

/** An Incoterms® 2020 rule: who pays for and bears the risk of carriage, insurance and duties. */
export type Incoterm =
  /** Cost and Freight (sea and inland waterway only). */
  | 'CFR'
  /** Cost, Insurance and Freight (sea and inland waterway only); insurance of at least 110%, clauses (C). */
  | 'CIF'
  /** Carriage and Insurance Paid To: as CPT, plus insurance of at least 110% under Institute Cargo Clauses (A). */
  | 'CIP'
  /** Carriage Paid To: the seller pays carriage to the named place; risk passes at handover. */
  | 'CPT'
  /** Delivered at Place: the seller delivers to the named place, not import-cleared. */
  | 'DAP'
  /** Delivered Duty Paid: the seller delivers import-cleared, duties paid. */
  | 'DDP'
  /** Delivered at Place Unloaded: as DAP, unloaded by the seller. */
  | 'DPU'
  /** Ex Works: the buyer collects at the exporter's premises. */
  | 'EXW'
  /** Free Alongside Ship (sea and inland waterway only). */
  | 'FAS'
  /** Free Carrier: delivered to the buyer's carrier, export-cleared. Usual for air freight. */
  | 'FCA'
  /** Free On Board (sea and inland waterway only). */
  | 'FOB';

/** Email and password of a user. */
export type LoginInput = {
  /** The user's email. */
  email: string;
  /** The user's password. */
  password: string;
};

/** What a person may do in Facet. */
export type Role =
  /** A distributor's buyer: browses the catalog, orders, briefs designs, tracks shipments. */
  | 'BUYER'
  /** A buyer who also manages the distributor's users and API clients. */
  | 'DISTRIBUTOR_ADMIN'
  /** Exporter staff: confirms orders, quotes briefs, ships, answers feedback. */
  | 'EXPORT_MANAGER'
  /** Exporter staff with read-only access to every distributor. */
  | 'SUPPORT';

/** Why a mutation refused its input. Nothing is written when a mutation returns a user error. */
export type UserErrorCode =
  /** The value is malformed or fails a check (format, check digit, allowed set). */
  | 'INVALID'
  /** The email and password do not match an active account. */
  | 'INVALID_CREDENTIALS'
  /** The object's current state does not allow this action. */
  | 'INVALID_STATE'
  /** You may not perform this action on this object. */
  | 'NOT_ALLOWED'
  /** The referenced object does not exist or is not visible to you. */
  | 'NOT_FOUND'
  /** The number or date is outside the allowed range. */
  | 'OUT_OF_RANGE'
  /** A required value is missing or blank. */
  | 'REQUIRED'
  /** The object changed since you read it; read it again and retry. */
  | 'STALE_VERSION'
  /** The value must be unique and is already in use. */
  | 'TAKEN'
  /** The value is longer than allowed. */
  | 'TOO_LONG'
  /** Too many failed attempts; wait before trying again. */
  | 'TOO_MANY_ATTEMPTS'
  /** The value is shorter than allowed. */
  | 'TOO_SHORT';

/** Names one user of the caller's distributor. */
export type UserIdInput = {
  /** The user's id. */
  id: string;
};

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login: { accessToken: string | null, tokenType: string | null, expiresIn: number | null, expiresAt: string | null, user: { id: string, email: string, role: Role, distributor: { id: string, name: string } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { role: Role | null, scopes: Array<ApiScope>, user: { id: string, email: string } | null, apiClient: { id: string, clientId: string } | null, distributor: { id: string, code: string, name: string, country: CountryCode, currency: CurrencyCode, defaultIncoterm: Incoterm } | null } };

export type DistributorsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: DistributorFilter | null | undefined;
}>;


export type DistributorsQuery = { distributors: { edges: Array<{ cursor: string, node: { id: string, code: string, name: string, country: CountryCode } }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type DistributorMembersQueryVariables = Exact<{
  id: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DistributorMembersQuery = { node:
    | { id: string, name: string, users: { nodes: Array<{ id: string, email: string, role: Role, active: boolean }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } | null, apiClients: { nodes: Array<{ id: string, clientId: string, name: string, scopes: Array<ApiScope>, active: boolean }> } | null }
    | Record<PropertyKey, never>
   | null };

export type NodeQueryVariables = Exact<{
  id: string;
}>;


export type NodeQuery = { node:
    | { __typename: 'ApiClient', clientId: string, id: string }
    | { __typename: 'Distributor', name: string, id: string }
    | { __typename: 'User', email: string, id: string }
   | null };

export type NodesQueryVariables = Exact<{
  ids: Array<string> | string;
}>;


export type NodesQuery = { nodes: Array<
    | { __typename: 'ApiClient', id: string }
    | { __typename: 'Distributor', id: string }
    | { __typename: 'User', id: string }
   | null> };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser: { user: { id: string, email: string, name: string, role: Role, active: boolean, distributor: { id: string } | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type DeactivateUserMutationVariables = Exact<{
  input: UserIdInput;
}>;


export type DeactivateUserMutation = { deactivateUser: { user: { id: string, active: boolean, deactivatedAt: string | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type ReactivateUserMutationVariables = Exact<{
  input: UserIdInput;
}>;


export type ReactivateUserMutation = { reactivateUser: { user: { id: string, active: boolean } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type CreateApiClientMutationVariables = Exact<{
  input: CreateApiClientInput;
}>;


export type CreateApiClientMutation = { createApiClient: { clientSecret: string | null, apiClient: { id: string, clientId: string, name: string, scopes: Array<ApiScope>, active: boolean } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type RevokeApiClientMutationVariables = Exact<{
  input: ApiClientIdInput;
}>;


export type RevokeApiClientMutation = { revokeApiClient: { apiClient: { id: string, active: boolean, revokedAt: string | null } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };

export type RotateApiClientSecretMutationVariables = Exact<{
  input: ApiClientIdInput;
}>;


export type RotateApiClientSecretMutation = { rotateApiClientSecret: { clientSecret: string | null, apiClient: { id: string, secretIssuedAt: string } | null, userErrors: Array<{ field: Array<string> | null, message: string, code: UserErrorCode }> } };


export const LoginDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Login"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"LoginInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"login"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"tokenType"}},{"kind":"Field","name":{"kind":"Name","value":"expiresIn"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"distributor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<LoginMutation, LoginMutationVariables>;
export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","name":{"kind":"Name","value":"apiClient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clientId"}}]}},{"kind":"Field","name":{"kind":"Name","value":"distributor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"defaultIncoterm"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;
export const DistributorsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Distributors"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DistributorFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"distributors"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"country"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<DistributorsQuery, DistributorsQueryVariables>;
export const DistributorMembersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DistributorMembers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Distributor"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"apiClients"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clientId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<DistributorMembersQuery, DistributorMembersQueryVariables>;
export const NodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Node"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"User"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Distributor"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ApiClient"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientId"}}]}}]}}]}}]} as unknown as DocumentNode<NodeQuery, NodeQueryVariables>;
export const NodesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Nodes"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]} as unknown as DocumentNode<NodesQuery, NodesQueryVariables>;
export const CreateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateUserInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"distributor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<CreateUserMutation, CreateUserMutationVariables>;
export const DeactivateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeactivateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UserIdInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deactivateUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"deactivatedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<DeactivateUserMutation, DeactivateUserMutationVariables>;
export const ReactivateUserDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReactivateUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UserIdInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reactivateUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<ReactivateUserMutation, ReactivateUserMutationVariables>;
export const CreateApiClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateApiClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateApiClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createApiClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiClient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"clientId"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"active"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clientSecret"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<CreateApiClientMutation, CreateApiClientMutationVariables>;
export const RevokeApiClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokeApiClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ApiClientIdInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokeApiClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiClient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"revokedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<RevokeApiClientMutation, RevokeApiClientMutationVariables>;
export const RotateApiClientSecretDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RotateApiClientSecret"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ApiClientIdInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rotateApiClientSecret"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiClient"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"secretIssuedAt"}}]}},{"kind":"Field","name":{"kind":"Name","value":"clientSecret"}},{"kind":"Field","name":{"kind":"Name","value":"userErrors"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"code"}}]}}]}}]}}]} as unknown as DocumentNode<RotateApiClientSecretMutation, RotateApiClientSecretMutationVariables>;