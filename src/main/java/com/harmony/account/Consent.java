package com.harmony.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One recorded marketing choice for one channel (P16, P17): rows are appended, never updated, so the
 * history of what a person agreed to, when and under which policy version (P30) stays provable.
 */
@Entity
@Table(name = "account_consent")
public class Consent extends PanacheEntityBase {

    @Id
    public UUID id;
    @Column(name = "account_id")
    public UUID accountId;
    public String purpose;
    public String channel;
    public boolean granted;
    public String source;
    @Column(name = "policy_version")
    public String policyVersion;
    @Column(name = "recorded_at")
    public OffsetDateTime recordedAt;

    static Consent marketing(UUID accountId, String channel, boolean granted, String source, String policyVersion) {
        Consent c = new Consent();
        c.id = UUID.randomUUID();
        c.accountId = accountId;
        c.purpose = "marketing";
        c.channel = channel;
        c.granted = granted;
        c.source = source;
        c.policyVersion = policyVersion;
        c.recordedAt = OffsetDateTime.now();
        return c;
    }
}
