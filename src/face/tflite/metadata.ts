/**
 * Builds the TFLite `ModelMetadata` flatbuffer (metadata_schema.fbs) that MediaPipe Tasks needs
 * before it will feed a float32 image input: without NormalizationOptions it refuses the model
 * ("requires specifying NormalizationOptions metadata to preprocess input images").
 */
import { Builder } from 'flatbuffers';
import * as S from './tfliteSchema';
import { floatVector, offsetVector } from './fbVectors';

export interface ImageInputSpec {
  name: string;
  /** Per-model normalisation, applied as (pixel - mean) / std on 0..255 RGB values. */
  mean: number;
  std: number;
  /** Value range of the normalised tensor, recorded as Stats (informational). */
  min: number;
  max: number;
}

export interface MetadataSpec {
  name: string;
  description: string;
  input: ImageInputSpec;
  /** One name per subgraph output, in SubGraph.outputs order. */
  outputs: readonly string[];
}

/** Lowest parser version that understands every field written here (all from schema 1.0). */
export const MIN_PARSER_VERSION = '1.0.0';

function imageInputMetadata(b: Builder, spec: ImageInputSpec): number {
  const name = b.createString(spec.name);

  b.startObject(2);
  b.addFieldInt8(S.ImageProperties.color_space, S.ColorSpaceType.RGB, 0);
  const imageProps = b.endObject();

  b.startObject(3);
  b.addFieldInt8(S.Content.content_properties_type, S.ContentProperties.ImageProperties, 0);
  b.addFieldOffset(S.Content.content_properties, imageProps, 0);
  const content = b.endObject();

  const mean = floatVector(b, [spec.mean]);
  const std = floatVector(b, [spec.std]);
  b.startObject(2);
  b.addFieldOffset(S.NormalizationOptions.mean, mean, 0);
  b.addFieldOffset(S.NormalizationOptions.std, std, 0);
  const norm = b.endObject();

  b.startObject(2);
  b.addFieldInt8(S.ProcessUnit.options_type, S.ProcessUnitOptions.NormalizationOptions, 0);
  b.addFieldOffset(S.ProcessUnit.options, norm, 0);
  const processUnits = offsetVector(b, [b.endObject()]);

  const max = floatVector(b, [spec.max]);
  const min = floatVector(b, [spec.min]);
  b.startObject(2);
  b.addFieldOffset(S.Stats.max, max, 0);
  b.addFieldOffset(S.Stats.min, min, 0);
  const stats = b.endObject();

  b.startObject(6);
  b.addFieldOffset(S.TensorMetadata.name, name, 0);
  b.addFieldOffset(S.TensorMetadata.content, content, 0);
  b.addFieldOffset(S.TensorMetadata.process_units, processUnits, 0);
  b.addFieldOffset(S.TensorMetadata.stats, stats, 0);
  return b.endObject();
}

function namedTensorMetadata(b: Builder, name: string): number {
  const n = b.createString(name);
  b.startObject(1);
  b.addFieldOffset(S.TensorMetadata.name, n, 0);
  return b.endObject();
}

/** Serialises a complete ModelMetadata buffer with file identifier "M001". */
export function buildModelMetadata(spec: MetadataSpec): Uint8Array {
  const b = new Builder(1024);
  const inputs = offsetVector(b, [imageInputMetadata(b, spec.input)]);
  const outputs = offsetVector(b, spec.outputs.map((o) => namedTensorMetadata(b, o)));

  b.startObject(4);
  b.addFieldOffset(S.SubGraphMetadata.input_tensor_metadata, inputs, 0);
  b.addFieldOffset(S.SubGraphMetadata.output_tensor_metadata, outputs, 0);
  const subgraphs = offsetVector(b, [b.endObject()]);

  const name = b.createString(spec.name);
  const description = b.createString(spec.description);
  const minParser = b.createString(MIN_PARSER_VERSION);
  b.startObject(8);
  b.addFieldOffset(S.ModelMetadata.name, name, 0);
  b.addFieldOffset(S.ModelMetadata.description, description, 0);
  b.addFieldOffset(S.ModelMetadata.subgraph_metadata, subgraphs, 0);
  b.addFieldOffset(S.ModelMetadata.min_parser_version, minParser, 0);
  b.finish(b.endObject(), S.METADATA_FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}
