"""System errors in French: what a technician reads instead of `No such file or directory`.

Python's `strerror` is the C library's English text. Messages that name a file say why it
could not be used in French, from the error number; an unlisted number is shown as such.
"""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EISDIR: "c'est un dossier, pas un fichier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EEXIST: "le fichier existe déjà",
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.ELOOP: "trop de liens symboliques",
    errno.EMFILE: "trop de fichiers ouverts",
    errno.ENFILE: "trop de fichiers ouverts sur le système",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.EBUSY: "ressource occupée",
    errno.ETXTBSY: "fichier occupé",
    errno.EFBIG: "fichier trop gros",
    errno.EXDEV: "déplacement impossible entre deux systèmes de fichiers",
    errno.EINVAL: "argument invalide",
    errno.EADDRINUSE: "adresse déjà utilisée",
    errno.EADDRNOTAVAIL: "adresse non disponible sur cette machine",
    errno.ECONNREFUSED: "connexion refusée",
    errno.ETIMEDOUT: "délai dépassé",
}


def reason(exc: OSError) -> str:
    """Why an operation failed, in French (« fichier ou dossier introuvable »)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if exc.errno is not None:
        return f"erreur système n° {exc.errno}"
    return "erreur système"
