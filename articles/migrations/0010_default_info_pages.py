"""Every edition's about, contact and privacy pages, so that the footer's
links lead somewhere on a fresh install; editors (the Editor role, articles
0005) may change them. The privacy page says what the site keeps, as the
README's privacy section does. A page that exists already is left as it is;
going back takes the role's rights away (the table goes with 0009).
"""

from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PERMISSIONS = ["change_infopage", "view_infopage"]


def _contact_line(language):
    address = settings.POZIRK_CONTACT_EMAIL
    link = f'<a href="mailto:{address}">{address}</a>'
    if language == "be":
        if address:
            return f"<p>Пішыце рэдакцыі на {link}, калі хочаце паведаміць нам навіну, паказаць на памылку або задаць пытанне.</p>"
        return "<p>Пішыце рэдакцыі, калі хочаце паведаміць нам навіну, паказаць на памылку або задаць пытанне. [Рэдакцыя: дадайце тут адрас, на які можна пісаць.]</p>"
    if language == "ru":
        if address:
            return f"<p>Пишите редакции на {link}, если хотите сообщить нам новость, указать на ошибку или задать вопрос.</p>"
        return "<p>Пишите редакции, если хотите сообщить нам новость, указать на ошибку или задать вопрос. [Редакция: добавьте здесь адрес, на который можно писать.]</p>"
    if address:
        return f"<p>Write to the editors at {link} with news for us, a mistake to point out or a question.</p>"
    return "<p>Write to the editors with news for us, a mistake to point out or a question. [Editors: add the address to write to here.]</p>"


def pages():
    """{(kind, language): (title, body)} as a fresh install has them."""
    name = settings.SITE_NAME
    return {
        ("about", "be"): (
            "Пра нас",
            f"<p>{name} — незалежная рэдакцыя, якая піша пра Беларусь па-беларуску, па-руску "
            "і па-англійску. Мы працуем у выгнанні, і многія нашы чытачы заходзяць да нас "
            "праз VPN і Tor.</p>"
            "<p>Таму сайт нічога не загружае з іншых сервераў (акрамя старонак аплаты картай) і захоўвае пра чытачоў як мага "
            "менш: усё, што мы захоўваем, пералічана на старонцы пра прыватнасць.</p>"
            "<p>Большасць нашых матэрыялаў можна чытаць бясплатна. Удзельнікі POZIRK+ "
            "падтрымліваюць нашу працу і чытаюць усё, што мы публікуем.</p>",
        ),
        ("about", "ru"): (
            "О нас",
            f"<p>{name} — независимая редакция, которая пишет о Беларуси на белорусском, "
            "русском и английском языках. Мы работаем в эмиграции, и многие наши читатели "
            "заходят к нам через VPN и Tor.</p>"
            "<p>Поэтому сайт ничего не загружает с других серверов (кроме страниц оплаты картой) и хранит о читателях как "
            "можно меньше: всё, что мы храним, перечислено на странице о конфиденциальности.</p>"
            "<p>Большинство наших материалов можно читать бесплатно. Участники POZIRK+ "
            "поддерживают нашу работу и читают всё, что мы публикуем.</p>",
        ),
        ("about", "en"): (
            "About us",
            f"<p>{name} is an independent newsroom reporting on Belarus in Belarusian, Russian "
            "and English. We work from exile, and many of our readers reach us through VPNs "
            "and Tor.</p>"
            "<p>That is why the site loads nothing from other servers (the card payment pages aside) and keeps as little "
            "about its readers as it can: the privacy page lists all of it.</p>"
            "<p>Most of our articles are free to read. POZIRK+ members support our work and "
            "read everything we publish.</p>",
        ),
        ("contact", "be"): (
            "Кантакты",
            _contact_line("be")
            + "<p>Калі расказваць пра гэта для вас небяспечна, не пішыце з працоўнай ці "
            "дзяржаўнай пошты або прылады. Скажыце пра гэта ў першым лісце, і мы дамовімся "
            "пра больш бяспечны спосаб сувязі.</p>"
            "<p>Мы адкрыта выпраўляем свае памылкі: выпраўленне з датай стаіць у канцы "
            "артыкула, якога яно тычыцца.</p>"
            "<p>Пытанні пра ваш уліковы запіс або ўдзел у POZIRK+ дасылайце з адраса, на "
            "які зарэгістраваны ўліковы запіс.</p>",
        ),
        ("contact", "ru"): (
            "Контакты",
            _contact_line("ru")
            + "<p>Если рассказывать об этом для вас опасно, не пишите с рабочей или "
            "государственной почты или устройства. Скажите об этом в первом письме, и мы "
            "договоримся о более безопасном способе связи.</p>"
            "<p>Мы открыто исправляем свои ошибки: исправление с датой стоит в конце статьи, "
            "к которой оно относится.</p>"
            "<p>Вопросы о вашей учётной записи или участии в POZIRK+ присылайте с адреса, на "
            "который зарегистрирована учётная запись.</p>",
        ),
        ("contact", "en"): (
            "Contact",
            _contact_line("en")
            + "<p>If telling us could put you at risk, do not write from a work or state "
            "account or device. Say so in your first message, and we will agree on a safer "
            "way to talk.</p>"
            "<p>We correct our mistakes openly: a dated correction stands at the end of the "
            "article it concerns.</p>"
            "<p>For a question about your account or your POZIRK+ membership, write from the "
            "address your account uses.</p>",
        ),
        ("privacy", "be"): (
            "Прыватнасць: што мы захоўваем",
            "<p>Мы захоўваем пра нашых чытачоў як мага менш. На гэтай старонцы пералічана "
            "ўсё.</p>"
            "<h2>Чытанне</h2><ul>"
            "<li>Каб чытаць сайт, уліковы запіс не патрэбны. Сайт нічога не загружае з іншых "
            "сервераў: ні трэкераў, ні аналітыкі, ні рэкламы, ні чужых шрыфтоў. Выключэнне "
            "адно: старонкі аплаты картай загружаюць плацежную форму нашага карткавага "
            "працэсара, Stripe. Нумар карты ідзе з вашага браўзера ў Stripe і ніколі не "
            "трапляе да нас.</li>"
            "<li>Журналы нашага сервера не запісваюць сеткавыя (IP) адрасы чытачоў.</li>"
            "<li>Кукі: адна запамінае выбранае вамі выданне, адна трымае вас у сістэме пасля "
            "ўваходу, адна ахоўвае формы, якія вы дасылаеце. Ніводная з іх не ідзе за вамі "
            "на іншыя сайты.</li></ul>"
            "<h2>Уліковы запіс</h2><ul>"
            "<li>Уліковы запіс — гэта адрас электроннай пошты, хэш пароля (Argon2: сам "
            "пароль з яго не аднавіць), імя, калі вы яго ўказалі, і даты. Пакуль вы не "
            "пацвердзіце адрас па спасылцы з нашага ліста, увайсці ва ўліковы запіс "
            "нельга.</li>"
            "<li>Прылады, на якіх вы ўвайшлі, паказваюцца, напрыклад, як «Firefox on "
            "Android» з часам апошняга візіту. Ні IP-адрас, ні поўны радок ідэнтыфікацыі "
            "браўзера не захоўваюцца.</li>"
            "<li>Няўдалыя спробы ўваходу лічацца для ўліковага запісу і для сеткавага адраса "
            "ў выглядзе ключавых хэшаў: у запісах пра блакаванне няма ні адрасоў пошты, ні "
            "IP-адрасоў.</li>"
            "<li>Каб ніхто не мог закідаць скрыню лістамі, лісты на адзін адрас і формы з "
            "адной сеткі лічацца на працягу гадзіны, таксама ў выглядзе ключавых хэшаў; "
            "адрасы не захоўваюцца.</li>"
            "<li>Рэгістрацыя, уваход, аднаўленне пароля і спасылка для ўваходу ніколі не "
            "выдаюць, ці ёсць у нас уліковы запіс з такім адрасам: пра гэта даведаецца "
            "толькі ўладальнік скрыні.</li></ul>"
            "<h2>Удзел у POZIRK+</h2><ul>"
            "<li>Для аплаты картай мы захоўваем нумары кліента і падпіскі ў карткавага "
            "працэсара, стан падпіскі і канец аплачанага перыяду. Працэсару не паведамляюцца "
            "ні адрас пошты, ні імя, толькі нумар уліковага запісу ў нас; мы нічога не "
            "капіруем ад яго: ні карты, ні імя, ні адраса, ні пошты.</li>"
            "<li>Код доступу захоўваецца як ключавы хэш разам з тым, ці выкарыстаны ён, але "
            "ніколі — кім.</li></ul>"
            "<h2>Рассылкі</h2><ul>"
            "<li>Падпісчык рассылкі — гэта адрас пошты, выбраныя рассылкі, стрыманы рэжым, "
            "дата згоды і выпадковы ключ для спасылкі «адпісацца». Для кожнага дасланага "
            "ліста мы захоўваем яго стан і дамен адраса. Адкрыцці і пераходы па спасылках не "
            "адсочваюцца.</li></ul>"
            "<h2>Выдаленне ўліковага запісу</h2><ul>"
            "<li>Выдаленне ўліковага запісу (на старонцы ўліковага запісу) сцірае адрас "
            "пошты, пароль, прылады, падарункавыя спасылкі, адрас асабістай стужкі і запіс "
            "пра кліента ў карткавага працэсара. Вашы падпіскі застаюцца ананімнымі радкамі "
            "(план і даты), каб падлікі рэдакцыі заставаліся правільнымі; нічога ў іх вас "
            "не ідэнтыфікуе.</li></ul>",
        ),
        ("privacy", "ru"): (
            "Конфиденциальность: что мы храним",
            "<p>Мы храним о наших читателях как можно меньше. На этой странице перечислено "
            "всё.</p>"
            "<h2>Чтение</h2><ul>"
            "<li>Чтобы читать сайт, учётная запись не нужна. Сайт ничего не загружает с "
            "других серверов: ни трекеров, ни аналитики, ни рекламы, ни чужих шрифтов. "
            "Исключение одно: страницы оплаты картой загружают платёжную форму нашего "
            "карточного процессора, Stripe. Номер карты идёт из вашего браузера в Stripe и "
            "никогда не попадает к нам.</li>"
            "<li>Журналы нашего сервера не записывают сетевые (IP) адреса читателей.</li>"
            "<li>Куки: одна запоминает выбранное вами издание, одна сохраняет вход в "
            "учётную запись, одна защищает формы, которые вы отправляете. Ни одна из них не "
            "следует за вами на другие сайты.</li></ul>"
            "<h2>Учётная запись</h2><ul>"
            "<li>Учётная запись — это адрес электронной почты, хеш пароля (Argon2: сам "
            "пароль из него не восстановить), имя, если вы его указали, и даты. Пока вы не "
            "подтвердите адрес по ссылке из нашего письма, войти в учётную запись "
            "нельзя.</li>"
            "<li>Устройства, на которых вы вошли, показываются, например, как «Firefox on "
            "Android» со временем последнего визита. Ни IP-адрес, ни полная строка "
            "идентификации браузера не хранятся.</li>"
            "<li>Неудачные попытки входа считаются для учётной записи и для сетевого адреса "
            "в виде ключевых хешей: в записях о блокировке нет ни адресов почты, ни "
            "IP-адресов.</li>"
            "<li>Чтобы никто не мог завалить ящик письмами, письма на один адрес и формы из "
            "одной сети считаются в течение часа, тоже в виде ключевых хешей; адреса не "
            "хранятся.</li>"
            "<li>Регистрация, вход, восстановление пароля и ссылка для входа никогда не "
            "выдают, есть ли у нас учётная запись с таким адресом: об этом узнаёт только "
            "владелец ящика.</li></ul>"
            "<h2>Участие в POZIRK+</h2><ul>"
            "<li>Для оплаты картой мы храним номера клиента и подписки у карточного "
            "процессора, состояние подписки и конец оплаченного периода. Процессору не "
            "сообщаются ни адрес почты, ни имя, только номер учётной записи у нас; мы ничего "
            "не копируем от него: ни карты, ни имени, ни адреса, ни почты.</li>"
            "<li>Код доступа хранится как ключевой хеш вместе с тем, использован ли он, но "
            "никогда — кем.</li></ul>"
            "<h2>Рассылки</h2><ul>"
            "<li>Подписчик рассылки — это адрес почты, выбранные рассылки, скрытный режим, "
            "дата согласия и случайный ключ для ссылки «отписаться». Для каждого "
            "отправленного письма мы храним его состояние и домен адреса. Открытия писем и "
            "переходы по ссылкам не отслеживаются.</li></ul>"
            "<h2>Удаление учётной записи</h2><ul>"
            "<li>Удаление учётной записи (на странице учётной записи) стирает адрес почты, "
            "пароль, устройства, подарочные ссылки, адрес личной ленты и запись о клиенте у "
            "карточного процессора. Ваши подписки остаются анонимными строками (план и "
            "даты), чтобы подсчёты редакции оставались верными; ничто в них вас не "
            "идентифицирует.</li></ul>",
        ),
        ("privacy", "en"): (
            "Privacy: what we keep",
            "<p>We keep as little about our readers as we can. This page lists all of it.</p>"
            "<h2>Reading</h2><ul>"
            "<li>You need no account to read. The site loads nothing from other servers: no "
            "trackers, no analytics, no advertising, no outside fonts. There is one "
            "exception: the card payment pages load the payment form of our card processor, "
            "Stripe. The card number goes from your browser to Stripe and never reaches "
            "us.</li>"
            "<li>Our server's logs do not record readers' network (IP) addresses.</li>"
            "<li>Cookies: one remembers the edition you chose, one keeps you logged in, one "
            "protects the forms you send. None of them follows you to other sites.</li></ul>"
            "<h2>Your account</h2><ul>"
            "<li>An account is an email address, a password hash (Argon2: the password "
            "cannot be read back from it), a display name if you gave one, and dates. Until "
            "you confirm the address by the link we send, the account cannot log in.</li>"
            "<li>The devices you are logged in on are listed as, say, “Firefox on Android” "
            "with the time last seen. Neither an IP address nor a browser's full "
            "identification string is stored.</li>"
            "<li>Failed logins are counted per account and per network address as keyed "
            "hashes: the lockout records hold neither email addresses nor IP addresses.</li>"
            "<li>So that nobody can flood a mailbox, the messages sent to an address and the "
            "forms sent from a network are counted for an hour, again as keyed hashes; no "
            "address is stored.</li>"
            "<li>Sign-up, login, password reset and the sign-in link never reveal whether an "
            "address has an account here: only the mailbox's owner is told.</li></ul>"
            "<h2>POZIRK+ membership</h2><ul>"
            "<li>For a card payment we keep the card processor's customer and subscription "
            "numbers, the subscription's state and the end of the period paid for. The "
            "processor is told neither an email address nor a name, only our account number; "
            "we copy nothing from it: no card, name, address or email.</li>"
            "<li>An access code is kept as a keyed hash with whether it was used, never by "
            "whom.</li></ul>"
            "<h2>Newsletters</h2><ul>"
            "<li>A subscriber is an email address, the chosen newsletters, discreet mode, the "
            "date of consent and a random key for the unsubscribe link. For each message "
            "sent we keep its status and the address's domain. Opens and clicks are not "
            "tracked.</li></ul>"
            "<h2>Deleting your account</h2><ul>"
            "<li>Deleting your account (on the account page) erases your email address, "
            "password, devices, gift links, private feed address and your customer record "
            "at the card processor. Your memberships stay as anonymous rows (plan and "
            "dates), so that the newsroom's counts stay right; nothing in them identifies "
            "you.</li></ul>",
        ),
    }


def add_missing_pages(InfoPage):
    for (kind, language), (title, body) in pages().items():
        InfoPage.objects.get_or_create(
            kind=kind, language=language, defaults={"title": title, "body": body}
        )


def create_pages(apps, schema_editor):
    add_missing_pages(apps.get_model("articles", "InfoPage"))
    # As in articles 0005: permissions are normally made after migrating.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
    )
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(*permissions)


def remove_pages(apps, schema_editor):
    # The table goes with the previous migration; only the role's rights are
    # taken back here.
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name="Editor"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", codename__in=EDITOR_PERMISSIONS
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_info_pages"),
        ("articles", "0005_roles"),
    ]

    operations = [migrations.RunPython(create_pages, remove_pages)]
