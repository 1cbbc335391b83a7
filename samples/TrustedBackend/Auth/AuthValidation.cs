using System.Net.Mail;
using System.Text.RegularExpressions;

namespace SupportTicket.TrustedBackend.Auth;

internal static partial class AuthValidation
{
    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,32}$")]
    private static partial Regex UsernamePattern();

    public static List<FieldError> Validate(SignUpRequest request)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Username))
        {
            errors.Add(new("username", "username is required", "required"));
        }
        else if (!UsernamePattern().IsMatch(request.Username))
        {
            errors.Add(new("username", "username must be 3-32 letters, digits, '.', '_' or '-'", "pattern"));
        }

        if (string.IsNullOrWhiteSpace(request.Email))
        {
            errors.Add(new("email", "email is required", "required"));
        }
        else if (!MailAddress.TryCreate(request.Email, out var parsed) || parsed.Address != request.Email)
        {
            errors.Add(new("email", "email is not a valid address", "format"));
        }

        if (string.IsNullOrEmpty(request.Password) || request.Password.Length < 8)
        {
            errors.Add(new("password", "password must be at least 8 characters", "min_length", 8));
        }

        return errors;
    }

    /// <summary>Guests pick a display name; keep it short and printable, fall back to "Guest".</summary>
    public static string GuestName(string? name)
    {
        var trimmed = new string((name ?? "").Where(c => !char.IsControl(c)).ToArray()).Trim();
        return trimmed.Length == 0 ? "Guest" : trimmed[..Math.Min(trimmed.Length, 32)];
    }
}
