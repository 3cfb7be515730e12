/**
 * Field slots and enum values of the two flatbuffer schemas we read and write, transcribed by
 * hand so the build needs neither flatc nor generated code. A slot is the field's declaration
 * index in its table (a union takes two slots: `<name>_type` then the value).
 *
 * - TFLite model: tensorflow/tensorflow `tensorflow/lite/schema/schema.fbs` (file identifier "TFL3").
 * - TFLite metadata: tensorflow/tflite-support `tensorflow_lite_support/metadata/metadata_schema.fbs`
 *   (file identifier "M001", schema 1.x).
 */

/** How a field is stored, so a table can be copied slot by slot without knowing its meaning. */
export type FieldKind = 'offset' | 'u8' | 'u32';

/** schema.fbs `table Model`. */
export const Model = {
  version: 0, // uint
  operator_codes: 1, // [OperatorCode]
  subgraphs: 2, // [SubGraph]
  description: 3, // string
  buffers: 4, // [Buffer]
  metadata_buffer: 5, // [int]
  metadata: 6, // [Metadata]
  signature_defs: 7, // [SignatureDef]
} as const;
export const MODEL_FIELD_KINDS: readonly FieldKind[] = [
  'u32', 'offset', 'offset', 'offset', 'offset', 'offset', 'offset', 'offset',
];

/** schema.fbs `table SubGraph`. */
export const SubGraph = {
  tensors: 0, // [Tensor]
  inputs: 1, // [int]
  outputs: 2, // [int]
  operators: 3, // [Operator]
  name: 4, // string
  debug_metadata_index: 5, // int (newer schemas)
} as const;
export const SUBGRAPH_FIELD_KINDS: readonly FieldKind[] = [
  'offset', 'offset', 'offset', 'offset', 'offset', 'u32',
];

/** schema.fbs `table Tensor`. */
export const Tensor = {
  shape: 0, // [int]
  type: 1, // TensorType (byte)
  buffer: 2, // uint, index into Model.buffers (0 = the empty sentinel)
  name: 3, // string
  quantization: 4,
  is_variable: 5,
} as const;

/** schema.fbs `table Operator`. */
export const Operator = {
  opcode_index: 0, // uint, index into Model.operator_codes
  inputs: 1, // [int]
  outputs: 2, // [int]
  builtin_options_type: 3, // BuiltinOptions union tag (ubyte)
  builtin_options: 4,
} as const;

/**
 * schema.fbs `table OperatorCode`. Readers take max(deprecated_builtin_code, builtin_code): the
 * byte field predates the int one, so writers fill both for codes < 127.
 */
export const OperatorCode = {
  deprecated_builtin_code: 0, // byte
  custom_code: 1, // string
  version: 2, // int = 1
  builtin_code: 3, // BuiltinOperator (int)
} as const;

/** schema.fbs `table Buffer`; data is declared `(force_align: 16)`. */
export const Buffer = { data: 0 } as const;
export const BUFFER_DATA_ALIGN = 16;

/** schema.fbs `table Metadata`: a named pointer to one of Model.buffers. */
export const Metadata = { name: 0, buffer: 1 } as const;

/** schema.fbs `enum TensorType`. */
export const TensorType = { FLOAT32: 0, INT32: 2 } as const;

/** schema.fbs `enum BuiltinOperator`. */
export const BuiltinOperator = { PAD: 34 } as const;

/** schema.fbs `union BuiltinOptions`: position of PadOptions in the union (NONE = 0). */
export const BuiltinOptions = { PadOptions: 22 } as const;

/** Metadata entry name under which TFLite / MediaPipe look for the ModelMetadata buffer. */
export const TFLITE_METADATA_NAME = 'TFLITE_METADATA';

// ---- metadata_schema.fbs ----

export const METADATA_FILE_IDENTIFIER = 'M001';

/** metadata_schema.fbs `table ModelMetadata`. */
export const ModelMetadata = {
  name: 0,
  description: 1,
  version: 2,
  subgraph_metadata: 3,
  author: 4,
  license: 5,
  associated_files: 6,
  min_parser_version: 7,
} as const;

/** metadata_schema.fbs `table SubGraphMetadata`. */
export const SubGraphMetadata = {
  name: 0,
  description: 1,
  input_tensor_metadata: 2,
  output_tensor_metadata: 3,
} as const;

/** metadata_schema.fbs `table TensorMetadata`. */
export const TensorMetadata = {
  name: 0,
  description: 1,
  dimension_names: 2,
  content: 3,
  process_units: 4,
  stats: 5,
} as const;

/** metadata_schema.fbs `table Content`. */
export const Content = { content_properties_type: 0, content_properties: 1, range: 2 } as const;
/** metadata_schema.fbs `union ContentProperties`. */
export const ContentProperties = { FeatureProperties: 1, ImageProperties: 2 } as const;
/** metadata_schema.fbs `table ImageProperties`. */
export const ImageProperties = { color_space: 0, default_size: 1 } as const;
/** metadata_schema.fbs `enum ColorSpaceType`. */
export const ColorSpaceType = { RGB: 1 } as const;

/** metadata_schema.fbs `table ProcessUnit`. */
export const ProcessUnit = { options_type: 0, options: 1 } as const;
/** metadata_schema.fbs `union ProcessUnitOptions`. */
export const ProcessUnitOptions = { NormalizationOptions: 1 } as const;
/** metadata_schema.fbs `table NormalizationOptions`. */
export const NormalizationOptions = { mean: 0, std: 1 } as const;
/** metadata_schema.fbs `table Stats`. */
export const Stats = { max: 0, min: 1 } as const;
