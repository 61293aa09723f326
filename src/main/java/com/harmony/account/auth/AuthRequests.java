package com.harmony.account.auth;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Bodies of the sign-in endpoints. */
public final class AuthRequests {

    private AuthRequests() {
    }

    @Schema(name = "SignInRequest")
    public record SignInRequest(
            @NotBlank @Size(max = 254) @Schema(examples = "ada@example.com") String email,
            @NotNull @Size(max = 1024) @Schema(examples = "correct horse battery staple") String password,
            @Schema(description = "Browsers: true sets HttpOnly cookies instead of returning tokens in the body") Boolean useCookies,
            @Schema(description = "Keep the browser signed in after it closes (a persistent refresh cookie, P22)") Boolean rememberMe,
            @Schema(description = "Mobile apps: the guest cart token, so the guest cart merges into the account's cart") @Size(max = 100) String cartToken) {
    }

    @Schema(name = "RefreshRequest", description = "Mobile apps send the refresh token here; browsers send the harmony_refresh cookie and no body")
    public record RefreshRequest(@Size(max = 200) String refreshToken) {
    }

    @Schema(name = "PasswordResetRequest")
    public record PasswordResetRequest(@NotBlank @Email @Size(max = 254) String email) {
    }

    @Schema(name = "PasswordResetConfirmation")
    public record PasswordResetConfirmation(@NotBlank @Size(max = 200) String token, @NotNull @Size(max = 128) String newPassword) {
    }

    @Schema(name = "EmailChangeConfirmation")
    public record EmailChangeConfirmation(@NotBlank @Size(max = 200) String token) {
    }

    @Schema(name = "SignInResult", description = "With use_cookies the tokens are in cookies and null here")
    public record SignInResult(
            String accountId,
            @Schema(nullable = true, description = "RS256 JWT for the Authorization: Bearer header") String accessToken,
            @Schema(examples = "Bearer") String tokenType,
            @Schema(description = "Seconds until the access token expires", examples = "900") long expiresIn,
            @Schema(nullable = true, description = "Opaque, single use: exchange it at /v1/auth/refresh") String refreshToken,
            @Schema(nullable = true, description = "Browsers: also in the harmony_csrf cookie; echo it in X-CSRF-Token") String csrfToken,
            java.util.List<String> roles) {
    }
}
