using System.Text.Json.Nodes;

namespace SupportTicket.FakeDiscord.Http;

/// <summary>Discord's error bodies: {code, message, errors?}.</summary>
internal static class DiscordErrors
{
    public static IResult Json(JsonNode body, int status = 200) =>
        Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    public static IResult Error(int status, int code, string message, string? detail = null)
    {
        var body = new JsonObject { ["code"] = code, ["message"] = message };
        if (detail is not null)
        {
            body["errors"] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = detail, ["message"] = detail }) };
        }

        return Json(body, status);
    }

    public static IResult InvalidForm(string detail) => Error(400, 50035, "Invalid Form Body", detail);

    /// <summary>A 50035 whose errors tree names the field, as Discord does: {field: {_errors: [{code, message}]}}.</summary>
    public static IResult FieldError(string field, string code, string message) => Json(
        new JsonObject
        {
            ["code"] = 50035,
            ["message"] = "Invalid Form Body",
            ["errors"] = new JsonObject
            {
                [field] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) },
            },
        },
        400);

    public static IResult UnknownChannel() => Error(404, 10003, "Unknown Channel");

    public static IResult UnknownMember() => Error(404, 10007, "Unknown Member");

    public static IResult UnknownMessage() => Error(404, 10008, "Unknown Message");

    public static IResult UnknownWebhook() => Error(404, 10015, "Unknown Webhook");

    public static IResult InvalidWebhookToken() => Error(401, 50027, "Invalid Webhook Token");

    public static IResult UnknownInteraction() => Error(404, 10062, "Unknown interaction");
}
