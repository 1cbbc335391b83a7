using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupportTicket.Server.Realtime;

// A payload serialized once per event; the hub protocol copies the bytes into each recipient's frame instead of
// serializing the object again for every connection.
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson(byte[] utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    public static RawJson Serialize(object value, JsonSerializerOptions options) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), options));

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8.Span);
}

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("RawJson is write-only");

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
