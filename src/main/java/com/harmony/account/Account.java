package com.harmony.account;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** A registered person (P10). Its password hash never leaves the account package. */
@Entity
@Table(name = "account")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;
    public String email;
    @Column(name = "password_hash")
    public String passwordHash;
    public String name;
    public String phone;
    public String[] interests;
    @Column(name = "birth_date")
    public LocalDate birthDate;
    @Column(name = "adult_attested_at")
    public OffsetDateTime adultAttestedAt;
    public String[] roles;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;
    @Version
    public int version;

    public Set<String> roleSet() {
        return new TreeSet<>(Arrays.asList(roles));
    }

    /** To the microsecond PostgreSQL stores, so an answer rendered from this object says what a later read will. */
    void touch() {
        updatedAt = OffsetDateTime.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}
