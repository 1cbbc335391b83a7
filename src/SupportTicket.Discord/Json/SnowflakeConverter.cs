using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupportTicket.Discord.Json;

// Discord sends snowflakes and permission bitsets as strings because they overflow a JavaScript number; every ulong on
// the wire is therefore a string. Numbers are still accepted when reading.
public sealed class SnowflakeConverter : JsonConverter<ulong>
{
    public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetUInt64();
        }

        var text = reader.GetString();
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a snowflake.");
    }

    public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
