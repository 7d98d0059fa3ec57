using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Reprise.Replay.Correlation;

/// <summary>Source-generated JSON metadata (no reflection).</summary>
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonContext : JsonSerializerContext;
