"""The settings catalogue: every UrBackup key the product talks about, and how to show it.

Facts come from UrBackup 2.5's settings reference (types, units, which keys are secret, which
ones live in the mail settings). Labels are our own clear French names: they appear in docs
and reports, with the label the UrBackup screen displays beside them where the two differ
(checks.settings.screens), so that a reader can find the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from checks.settings import screens


class Kind(Enum):
    SECONDS = "durée"           # stored in seconds, shown as « 5 heures »
    COUNT = "nombre"
    BOOL = "booléen"
    TEXT = "texte"
    WINDOW = "fenêtre"          # backup window: "1-7/0-24"
    ADDRESSES = "adresses"      # ';' or ',' separated mail addresses, as UrBackup splits them
    MAILBOX = "adresse"         # one mail address, possibly « Nom <adresse> »
    HOST = "hôte"               # a host name or an IP address
    VOLUMES = "volumes"         # ';' separated volumes, or ALL / ALL_NONUSB
    PORT = "port"
    CHOICE = "choix"


class Store(Enum):
    """Where the server keeps a key, and so which API call reads and writes it."""

    GENERAL = "general"    # sa=general / general_save: server-only keys
    CLIENT = "client"      # per-client keys: global value in sa=general, overridable per client
    MAIL = "mail"          # sa=mail / mail_save, all strings


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    kind: Kind
    store: Store
    secret: bool = False
    help: str = ""

    @property
    def screen_label(self) -> str | None:
        """The label the French UrBackup screen displays for this key, if it shows one."""
        spot = screens.field(self.key)
        return spot.label if spot else None

    @property
    def label_with_screen(self) -> str:
        """« Our name (écran : « screen label ») », or our name alone when they agree."""
        shown = self.screen_label
        if shown is None or shown.casefold() == self.label.casefold():
            return self.label
        return f"{self.label} (écran : « {shown} »)"


def _s(key: str, label: str, kind: Kind, store: Store, secret: bool = False,
       help: str = "") -> Setting:
    return Setting(key, label, kind, store, secret, help)


G, C, M = Store.GENERAL, Store.CLIENT, Store.MAIL

SETTINGS: dict[str, Setting] = {s.key: s for s in [
    # --- outgoing mail ---
    _s("mail_servername", "Serveur SMTP", Kind.HOST, M),
    _s("mail_serverport", "Port SMTP", Kind.PORT, M),
    _s("mail_username", "Identifiant SMTP", Kind.TEXT, M),
    _s("mail_password", "Mot de passe SMTP", Kind.TEXT, M, secret=True),
    _s("mail_from", "Adresse d'expédition", Kind.MAILBOX, M),
    _s("mail_admin_addrs", "Destinataires des alertes", Kind.ADDRESSES, M),
    _s("mail_ssl_only", "Chiffrement TLS obligatoire", Kind.BOOL, M),
    _s("mail_check_certificate", "Vérification du certificat du serveur SMTP", Kind.BOOL, M),
    _s("mail_use_smtps", "SMTPS (TLS implicite) au lieu de STARTTLS", Kind.BOOL, M),
    # --- file backup plan ---
    _s("update_freq_incr", "Intervalle des sauvegardes incrémentielles de fichiers",
       Kind.SECONDS, C),
    _s("update_freq_full", "Intervalle des sauvegardes complètes de fichiers", Kind.SECONDS, C),
    _s("max_file_incr", "Nombre maximal de sauvegardes incrémentielles de fichiers conservées",
       Kind.COUNT, C),
    _s("min_file_incr", "Nombre minimal de sauvegardes incrémentielles de fichiers conservées",
       Kind.COUNT, C),
    _s("max_file_full", "Nombre maximal de sauvegardes complètes de fichiers conservées",
       Kind.COUNT, C),
    _s("min_file_full", "Nombre minimal de sauvegardes complètes de fichiers conservées",
       Kind.COUNT, C),
    _s("backup_window_incr_file", "Plage horaire des sauvegardes incrémentielles de fichiers",
       Kind.WINDOW, C),
    _s("backup_window_full_file", "Plage horaire des sauvegardes complètes de fichiers",
       Kind.WINDOW, C),
    _s("default_dirs", "Répertoires sauvegardés par défaut", Kind.TEXT, C),
    _s("exclude_files", "Fichiers exclus", Kind.TEXT, C),
    # --- image backup plan ---
    _s("update_freq_image_incr", "Intervalle des sauvegardes incrémentielles d'images",
       Kind.SECONDS, C),
    _s("update_freq_image_full", "Intervalle des sauvegardes complètes d'images",
       Kind.SECONDS, C),
    _s("max_image_incr", "Nombre maximal de sauvegardes incrémentielles d'images conservées",
       Kind.COUNT, C),
    _s("min_image_incr", "Nombre minimal de sauvegardes incrémentielles d'images conservées",
       Kind.COUNT, C),
    _s("max_image_full", "Nombre maximal de sauvegardes complètes d'images conservées",
       Kind.COUNT, C),
    _s("min_image_full", "Nombre minimal de sauvegardes complètes d'images conservées",
       Kind.COUNT, C),
    _s("backup_window_incr_image", "Plage horaire des sauvegardes incrémentielles d'images",
       Kind.WINDOW, C),
    _s("backup_window_full_image", "Plage horaire des sauvegardes complètes d'images",
       Kind.WINDOW, C),
    _s("image_letters", "Volumes sauvegardés en image", Kind.VOLUMES, C),
    _s("image_file_format", "Format des images disque", Kind.CHOICE, C),
    # --- server-wide ---
    _s("no_file_backups", "Sauvegardes de fichiers désactivées sur tout le serveur", Kind.BOOL, G),
    _s("no_images", "Sauvegardes d'images désactivées sur tout le serveur", Kind.BOOL, G),
    _s("backup_database", "Sauvegarde de la base de données du serveur", Kind.BOOL, G),
    _s("autoupdate_clients", "Mise à jour automatique des agents", Kind.BOOL, G),
    _s("cleanup_window", "Plage horaire du nettoyage", Kind.WINDOW, G),
    _s("max_sim_backups", "Sauvegardes simultanées au maximum", Kind.COUNT, G),
    # --- transport security ---
    _s("local_encrypt", "Chiffrement des transferts sur le réseau local", Kind.BOOL, C),
    _s("internet_encrypt", "Chiffrement des transferts par Internet", Kind.BOOL, C),
    _s("internet_mode_enabled", "Sauvegarde par Internet autorisée", Kind.BOOL, C),
    # --- secrets the API returns: never shown ---
    _s("internet_authkey", "Clé d'authentification Internet", Kind.TEXT, C, secret=True),
    _s("restore_authkey", "Clé d'autorisation des restaurations", Kind.TEXT, G, secret=True),
    _s("client_settings_tray_access_pw", "Mot de passe d'accès à l'agent", Kind.TEXT, C,
       secret=True),
    _s("alert_params", "Paramètres du script d'alerte", Kind.TEXT, C, secret=True),
]}

SECRET_KEYS = frozenset(k for k, s in SETTINGS.items() if s.secret)
"""Keys whose values never leave the tool: docs, reports, snapshots, logs."""

MAIL_KEYS = tuple(k for k, s in SETTINGS.items() if s.store is Store.MAIL)


def setting(key: str) -> Setting | None:
    return SETTINGS.get(key)


def is_secret(key: str) -> bool:
    """Secret by catalogue, or by its name (passwords, keys) for keys we do not know."""
    lowered = key.lower()
    return key in SECRET_KEYS or any(word in lowered for word in ("password", "authkey", "_pw"))
